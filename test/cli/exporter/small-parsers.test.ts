// The exporter's small readers: --listen, host names, --user.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hostProblem } from '../../../src/cli/exporter/host-name.js';
import { parseListen } from '../../../src/cli/exporter/listen-address.js';
import { userIds } from '../../../src/cli/user-ids.js';

describe('parseListen', () => {
  test('the forms Prometheus exporters take', () => {
    assert.deepEqual(parseListen(':9374'), { host: undefined, port: 9374 });
    assert.deepEqual(parseListen('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(parseListen('[::1]:9374'), { host: '::1', port: 9374 });
    assert.deepEqual(parseListen('localhost:80'), { host: 'localhost', port: 80 });
  });
  test('refused', () => {
    for (const bad of ['9374', '::1:9374', ':70000', 'host:', 'a:b:1', '[::1]', '']) assert.throws(() => parseListen(bad), /invalid --listen/, bad);
  });
});

describe('hostProblem', () => {
  test('names and addresses pass', () => {
    for (const ok of ['localhost', 'a-b.example.org', 'x_y', '127.0.0.1', '::1', 'fe80::1%eth0', 'example.org.']) assert.equal(hostProblem(ok), null, ok);
  });
  test('everything else is named, escaped', () => {
    assert.equal(hostProblem(''), 'an empty host');
    assert.equal(hostProblem('a'.repeat(254)), 'a host of 254 characters (at most 253)');
    assert.equal(hostProblem('bad\x1b[31m'), "an invalid host 'bad\\x1b[31m' (a host name or IP address)");
    assert.equal(hostProblem('-x'), "an invalid host '-x' (a host name or IP address)");
    assert.equal(hostProblem('a..b'), "an invalid host 'a..b' (a host name or IP address)");
  });
});

describe('userIds', () => {
  const files: Record<string, string> = {
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nrawping:x:990:985::/nonexistent:/usr/sbin/nologin\n',
    '/etc/group': 'root:x:0:\nnetdev:x:109:\n',
  };
  const read = (path: string): string => files[path] ?? '';
  test('a name, name:group, uid:gid', () => {
    assert.deepEqual(userIds('rawping', read), { uid: 990, gid: 985 });
    assert.deepEqual(userIds('rawping:netdev', read), { uid: 990, gid: 109 });
    assert.deepEqual(userIds('65534:65534', read), { uid: 65534, gid: 65534 });
  });
  test('unknown names and a bare uid are refused', () => {
    assert.throws(() => userIds('nobody-here', read), /no user 'nobody-here' in \/etc\/passwd/);
    assert.throws(() => userIds('rawping:nogroup', read), /no group 'nogroup' in \/etc\/group/);
    assert.throws(() => userIds('1000', read), /give the group too, as uid:gid/);
  });
});
