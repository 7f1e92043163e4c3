// The exporter's config file: smokeping_prober's shape read strictly, every refusal naming the
// file, the line and the key; hostile files (huge, endless, a million hosts, terminal escapes)
// refused with a clear message (docs/hostile-inputs.md #33).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ConfigError, MAX_ITEMS, MAX_TARGETS, parseConfig } from '../../../src/cli/exporter/exporter-config.js';
import { loadConfig, MAX_CONFIG_BYTES } from '../../../src/cli/exporter/load-config.js';

const refused = (text: string, pattern: RegExp): void => {
  assert.throws(
    () => parseConfig(text, 'exporter.yml'),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, String(error));
      assert.match(error.message, pattern);
      return true;
    },
  );
};

describe('parseConfig', () => {
  test("smokeping_prober's example reads with its defaults and every key", () => {
    const config = parseConfig(
      [
        '---',
        'targets:',
        '- hosts:',
        '  - host1',
        '  - 192.0.2.7',
        '  interval: 1s # Duration, Default 1s.',
        '  network: ip4',
        '  protocol: icmp',
        '  size: 56',
        '  source: 127.0.1.1',
        '  tos: 0x10',
        '  labels: {site: ams, rack: 7}',
        '- host: ::1',
        '  interval: 250ms',
        '  timeout: 100ms',
        '  tos: 0b101',
        'dns_refresh: 30s',
        '',
      ].join('\n'),
      'exporter.yml',
    );
    assert.equal(config.dnsRefreshMs, 30_000);
    assert.equal(config.groups.length, 2);
    const [a, b] = config.groups;
    assert.deepEqual(a, {
      hosts: ['host1', '192.0.2.7'],
      intervalMs: 1000,
      timeoutMs: 1000,
      network: 'ip4',
      size: 56,
      source: '127.0.1.1',
      tos: 16,
      labels: { site: 'ams', rack: '7' },
      line: 3,
    });
    assert.deepEqual(b, { hosts: ['::1'], intervalMs: 250, timeoutMs: 100, network: 'ip', size: 56, source: '', tos: 5, labels: {}, line: 13 });
  });

  test('an empty file is a config without targets, not an error', () => {
    assert.deepEqual(parseConfig('', 'e.yml'), { groups: [], dnsRefreshMs: null });
    assert.deepEqual(parseConfig('# nothing\n', 'e.yml'), { groups: [], dnsRefreshMs: null });
    assert.deepEqual(parseConfig('targets:\n', 'e.yml'), { groups: [], dnsRefreshMs: null });
  });

  test('unknown keys are named with their file and line', () => {
    refused('targets:\n- hosts: [a]\n  intervall: 1s\n', /^exporter\.yml:3: unknown key 'intervall' in a target group \(expected hosts, host, interval/);
    refused('target:\n- hosts: [a]\n', /^exporter\.yml:1: unknown key 'target' \(expected targets, dns_refresh\)$/);
    refused('targets:\n- hosts: [a]\n  <<: {size: 1}\n', /^exporter\.yml:3: unknown key '<<'/);
  });

  test('values of the wrong type or out of range are refused, with the key', () => {
    refused('targets:\n- hosts: [a]\n  interval: 1\n', /^exporter\.yml:3: interval: expected a duration such as 1s or 500ms, not '1'$/);
    refused('targets:\n- hosts: [a]\n  interval: 1d\n', /:3: interval: expected a duration/);
    refused('targets:\n- hosts: [a]\n  interval: 1ms\n', /:3: interval: 1ms is out of range \(10ms to 3600s\)$/);
    refused('targets:\n- hosts: [a]\n  size: "56"\n', /:3: size: expected payload bytes from 0 to 65507, not '56'$/);
    refused('targets:\n- hosts: [a]\n  size: 70000\n', /:3: size: expected payload bytes/);
    refused('targets:\n- hosts: [a]\n  tos: 256\n', /:3: tos: expected 0-255/);
    refused('targets:\n- hosts: [a]\n  tos: [1]\n', /:3: tos: expected a single value, not a list$/);
    refused('targets:\n- hosts: [a]\n  network: ipv4\n', /:3: network: expected ip, ip4 or ip6, not 'ipv4'$/);
    refused('targets:\n- hosts: [a]\n  protocol: udp\n', /:3: protocol: only icmp is supported/);
    refused('targets:\n- hosts: [a]\n  source: eth0\n', /:3: source: expected an IP address, not 'eth0'$/);
    refused('targets:\n- hosts: a\n', /:2: hosts: expected a list of host names or addresses$/);
    refused('targets:\n- hosts: [1234]\n', /:2: hosts: expected a host name or address, not a number$/);
    refused('targets:\n- interval: 1s\n', /:2: a target group without hosts$/);
    refused('targets: {hosts: [a]}\n', /:1: targets: expected a list of groups$/);
    refused('- a\n', /^exporter\.yml:1: expected a mapping with a targets list$/);
    refused('dns_refresh: soon\n', /:1: dns_refresh: expected a duration/);
  });

  test("labels: names as Prometheus takes them, not the exporter's own, values without control characters", () => {
    refused('targets:\n- hosts: [a]\n  labels: {9x: a}\n', /:3: labels: invalid label name '9x'/);
    refused('targets:\n- hosts: [a]\n  labels: {__name__: a}\n', /:3: labels: invalid label name '__name__'/);
    refused('targets:\n- hosts: [a]\n  labels: {host: a}\n', /:3: labels: 'host' is set by the exporter itself$/);
    refused('targets:\n- hosts: [a]\n  labels: {site: "a\\x1b[2Jb"}\n', /:3: labels\.site: control characters in 'a\\x1b\[2Jb'$/);
    refused('targets:\n- hosts: [a]\n  labels: {site: [a]}\n', /:3: labels\.site: expected a single value, not a list$/);
  });

  test('a host name with terminal escapes is refused and shown escaped', () => {
    refused(
      'targets:\n- hosts: ["evil\\x1b]0;owned\\x07.example"]\n',
      /^exporter\.yml:2: hosts: an invalid host 'evil\\x1b\]0;owned\\x07\.example' \(a host name or IP address\)$/,
    );
    refused('targets:\n- hosts: ["a b"]\n', /an invalid host 'a b'/);
    refused('targets:\n- hosts: ["-oProxyCommand=x"]\n', /an invalid host '-oProxyCommand=x'/);
    // Not one raw control character reaches the message.
    try {
      parseConfig('targets:\n- hosts: ["\\x1b[31m\\u202e"]\n', 'e.yml');
      assert.fail('accepted');
    } catch (error) {
      assert.doesNotMatch((error as Error).message, /[\x00-\x1f\x7f\u202e]/);
    }
  });

  test('YAML errors, duplicate keys and aliases are refused with the line', () => {
    refused('targets:\n- hosts: [a\n', /^exporter\.yml:\d+: /);
    refused('targets:\n- hosts: [a]\n  size: 1\n  size: 2\n', /^exporter\.yml:4: Map keys must be unique/);
    refused('x: &h [a]\ntargets:\n- hosts: *h\n', /^exporter\.yml:1: unknown key 'x'/);
    refused('targets:\n- hosts: [a]\n  size: &s 1\n- hosts: [b]\n  size: *s\n', /:5: size: expected a single value, not an alias$/);
    refused('targets:\n- hosts: [a]\n---\ntargets: []\n', /^exporter\.yml:\d+: Source contains multiple documents/);
  });

  test(`more than ${MAX_TARGETS} targets in all are refused`, () => {
    const many = (n: number): string => `targets:\n- hosts:\n${'  - 127.0.0.1\n'.repeat(n)}`;
    assert.equal(parseConfig(many(1000), 'e.yml').groups[0]?.hosts.length, 1000);
    refused(`${many(MAX_TARGETS - 1)}- hosts: [a, b]\n`, new RegExp(`too many targets: more than ${MAX_TARGETS} in all$`));
  });

  test('a million hosts in a 2 MB flow list are refused before the YAML is parsed, quickly', () => {
    const text = `targets:\n- hosts: [${'a,'.repeat(1_000_000)}a]\n`;
    assert.ok(text.length < MAX_CONFIG_BYTES, 'within the size limit: only the count stops it');
    const t0 = performance.now();
    refused(text, new RegExp(`^exporter\\.yml: more than ${MAX_ITEMS} lines and list items: too many for the ${MAX_TARGETS} targets a config may name$`));
    // Parsed, it took 6.5 s and 1 GB before the target count refused it.
    assert.ok(performance.now() - t0 < 1000, `${Math.round(performance.now() - t0)} ms`);
    // A config at the target limit, one host a line with a comment each, is still read.
    const full = `targets:\n- hosts:\n${'  # a comment\n  - 127.0.0.1\n'.repeat(MAX_TARGETS / 2)}`;
    assert.equal(parseConfig(full, 'e.yml').groups[0]?.hosts.length, MAX_TARGETS / 2);
  });
});

test("the README's example config reads as it says", () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const block = /The config file takes smokeping_prober's shape[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block !== undefined, 'no example config in the README');
  const config = parseConfig(block, 'README.md');
  assert.equal(config.dnsRefreshMs, 60_000);
  assert.deepEqual(
    config.groups.map((g) => [g.hosts, g.labels, g.tos, g.source, g.timeoutMs]),
    [
      [['gateway.example.net', '192.0.2.1', '2001:db8::1'], { site: 'ams' }, 0, '', 1000],
      [['voip-gw.example.net'], {}, 0xb8, '192.0.2.10', 500],
    ],
  );
});

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rawping-exporter-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  test('reads a file and names it in its errors', () => {
    const path = file('good.yml', 'targets:\n- hosts: [127.0.0.1]\n');
    assert.deepEqual(loadConfig(path).groups[0]?.hosts, ['127.0.0.1']);
    // The SHA-256 of the bytes read, for rawping_config_info.
    assert.equal(loadConfig(path).sha256, createHash('sha256').update('targets:\n- hosts: [127.0.0.1]\n').digest('hex'));
    const bad = file('bad.yml', 'targets:\n- hosts: [127.0.0.1]\n  colour: red\n');
    assert.throws(() => loadConfig(bad), {
      message: `${bad}:3: unknown key 'colour' in a target group (expected hosts, host, interval, timeout, network, protocol, size, source, tos, labels)`,
    });
  });

  test('a missing file, a directory, and a 10 MB file are refused without reading them whole', () => {
    assert.throws(() => loadConfig(join(dir, 'none.yml')), { message: `${join(dir, 'none.yml')}: cannot open: ENOENT` });
    assert.throws(() => loadConfig(dir), { message: `${dir}: is a directory` });
    const big = file('big.yml', Buffer.alloc(10 * 1024 * 1024, 0x20));
    assert.throws(() => loadConfig(big), { message: `${big}: ${10 * 1024 * 1024} bytes, larger than the ${MAX_CONFIG_BYTES} a config may be` });
  });

  test('a file of a million target lines is refused by its size', () => {
    const lines = file('million.yml', `targets:\n- hosts:\n${'  - 127.0.0.1\n'.repeat(1_000_000)}`);
    assert.throws(() => loadConfig(lines), /bytes, larger than the 4194304 a config may be$/);
  });

  test('a device that never ends is read only to the limit', () => {
    assert.throws(() => loadConfig('/dev/zero'), { message: `/dev/zero: larger than the ${MAX_CONFIG_BYTES} bytes a config may be` });
  });

  test('a file name with terminal escapes is shown escaped', () => {
    const path = join(dir, 'x\x1b[2Jy.yml');
    assert.throws(
      () => loadConfig(path),
      (error: unknown) => /x\\x1b\[2Jy\.yml: cannot open: ENOENT$/.test((error as Error).message),
    );
  });
});
