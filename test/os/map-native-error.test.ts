// The addon's errors cross into TypeScript once, here: a SystemError-shaped error becomes a
// SocketError with the same facts; anything else (a bug, such as a TypeError from a wrong
// argument) passes through untouched.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SocketError } from '../../src/errors.js';
import { callNative, mapNativeError } from '../../src/os/map-native-error.js';

/** An error shaped as the addon throws it (Node's SystemError fields). */
function systemError(code: string, errno: number, syscall: string, address?: string): Error {
  return Object.assign(new Error(`${syscall} ${code}${address !== undefined ? ` ${address}` : ''}`), {
    code,
    errno,
    syscall,
    ...(address !== undefined ? { address } : {}),
  });
}

test('a SystemError-shaped error becomes a SocketError with its code, errno, syscall, message and cause', () => {
  const native = systemError('EHOSTUNREACH', -113, 'sendto', '10.0.0.9');
  const mapped = mapNativeError(native);
  assert.ok(mapped instanceof SocketError);
  assert.equal(mapped.code, 'ERR_RAWPING_SOCKET');
  assert.equal(mapped.errnoCode, 'EHOSTUNREACH');
  assert.equal(mapped.errno, -113);
  assert.equal(mapped.syscall, 'sendto');
  assert.equal(mapped.message, 'sendto EHOSTUNREACH 10.0.0.9');
  assert.equal(mapped.detail, '10.0.0.9', 'the address the call was about');
  assert.equal(mapped.cause, native);
});

test('without an address there is no detail', () => {
  const mapped = mapNativeError(systemError('EPERM', -1, 'socket'));
  assert.ok(mapped instanceof SocketError);
  assert.equal(mapped.detail, undefined);
});

test('anything else passes through as it is: bugs are not socket states', () => {
  const typeError = new TypeError('address must be a string');
  assert.equal(mapNativeError(typeError), typeError);
  const noSyscall = Object.assign(new Error('half a SystemError'), { code: 'EPERM' });
  assert.equal(mapNativeError(noSyscall), noSyscall);
  const notAnError = { code: 'EPERM', syscall: 'sendto' };
  assert.equal(mapNativeError(notAnError), notAnError);
  assert.equal(mapNativeError('text'), 'text');
});

test("callNative returns the call's value and throws what it throws, mapped", () => {
  assert.equal(
    callNative(() => 42),
    42,
  );
  assert.throws(
    () =>
      callNative(() => {
        throw systemError('ENOBUFS', -105, 'sendto');
      }),
    (e: unknown) => e instanceof SocketError && e.errnoCode === 'ENOBUFS',
  );
  const bug = new RangeError('bad length');
  assert.throws(
    () =>
      callNative(() => {
        throw bug;
      }),
    (e: unknown) => e === bug,
  );
});
