// errno names as glibc's strerror words them in the C locale, so messages read like ping's
// ("connect: No route to host").
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { strerror } from '../../src/wording/strerror.js';

// From glibc 2.36 when this test was written:
//   LC_ALL=C python3 -c "import os, errno; print(os.strerror(errno.EPERM))"   (and so on)
// Python's os.strerror is the C library's strerror.
const GLIBC: [string, string][] = [
  ['EPERM', 'Operation not permitted'],
  ['EACCES', 'Permission denied'],
  ['EINVAL', 'Invalid argument'],
  ['ENOENT', 'No such file or directory'],
  ['ENODEV', 'No such device'],
  ['ENXIO', 'No such device or address'],
  ['EHOSTUNREACH', 'No route to host'],
  ['ENETUNREACH', 'Network is unreachable'],
  ['ENETDOWN', 'Network is down'],
  ['EADDRNOTAVAIL', 'Cannot assign requested address'],
  ['EADDRINUSE', 'Address already in use'],
  ['EAFNOSUPPORT', 'Address family not supported by protocol'],
  ['EPROTONOSUPPORT', 'Protocol not supported'],
  ['EMSGSIZE', 'Message too long'],
  ['ENOBUFS', 'No buffer space available'],
  ['EAGAIN', 'Resource temporarily unavailable'],
  ['ENOMEM', 'Cannot allocate memory'],
  ['ECONNREFUSED', 'Connection refused'],
  ['EBADF', 'Bad file descriptor'],
  ['EISDIR', 'Is a directory'],
  ['ENOTDIR', 'Not a directory'],
];

test('the errno names rawping meets read as glibc words them', () => {
  for (const [code, text] of GLIBC) assert.equal(strerror(code), text, code);
});

test('an errno name it has no text for comes back as it is', () => {
  assert.equal(strerror('ETIMEDOUT'), 'ETIMEDOUT');
  assert.equal(strerror('ERR_SOMETHING_ELSE'), 'ERR_SOMETHING_ELSE');
  assert.equal(strerror(''), '');
});
