// Which send errors are passing and how a failure is worded.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SocketError } from '../../src/errors.js';
import { isBusySendError, sendFailureMessage } from '../../src/pinger/send-failure.js';

function sendError(code: string): SocketError {
  return new SocketError(code, -1, 'sendto', `sendto ${code} 192.0.2.1`);
}

test('lack of buffer space is passing: the probe is sent again later', () => {
  for (const code of ['ENOBUFS', 'EAGAIN', 'EWOULDBLOCK', 'ENOMEM']) assert.equal(isBusySendError(sendError(code)), true, code);
  for (const code of ['EHOSTUNREACH', 'ENETUNREACH', 'EPERM', 'EMSGSIZE']) assert.equal(isBusySendError(sendError(code)), false, code);
});

test('EPERM and EACCES on an open socket are a local block, not a privilege problem; others keep their message', () => {
  assert.equal(sendFailureMessage(sendError('EPERM')), 'blocked locally (a firewall rule or a prohibit route)');
  assert.equal(sendFailureMessage(sendError('EACCES')), 'blocked locally (a firewall rule or a prohibit route)');
  assert.equal(sendFailureMessage(sendError('EHOSTUNREACH')), 'sendto EHOSTUNREACH 192.0.2.1');
});
