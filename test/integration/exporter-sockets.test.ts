// Groups with their own tos or source need a socket of their own, opened after the privilege
// drop (the config is read only then): where ICMP datagram sockets are allowed (a namespace
// with ping_group_range open) such a group is probed, under its `tos` label; where they are
// not, it is refused with a message that says so, at start (exit 2) and on a reload (the
// running config stays). Loopback only.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { eventually, samples, startExporter, value } from '../helpers/exporter.js';
import { NetnsLab } from '../helpers/netns.js';
import { runCli } from '../helpers/run-cli.js';
import { cliSkipReason, netnsSkipReason } from '../helpers/skip-reasons.js';

const skip = cliSkipReason() ?? netnsSkipReason();
const groupRange = (): string => readFileSync('/proc/sys/net/ipv4/ping_group_range', 'utf8').trim();
const dgramClosed = (): boolean => {
  const [low, high] = groupRange().split(/\s+/).map(Number);
  return !(low !== undefined && high !== undefined && low <= 0 && high >= 0);
};

describe('rawping exporter: sockets for tos and source', { skip: skip ?? false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'rawping-exporter-sockets-'));
  let lab: NetnsLab | undefined;
  after(() => {
    lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('with datagram sockets allowed, a group with its own tos is probed under its tos label', async () => {
    lab = NetnsLab.create();
    const ns = lab.addIsolated(['net.ipv4.ping_group_range=0 2147483647']);
    const path = join(dir, 'tos.yml');
    writeFileSync(path, 'targets:\n- hosts: [127.0.0.1]\n  interval: 200ms\n- hosts: [127.0.0.2]\n  interval: 200ms\n  tos: 0x10\n');
    const ex = await startExporter(['--config', path], { netns: ns });
    try {
      assert.ok(await eventually(async () => value(await ex.scrape(), 'smokeping_response_duration_seconds_count', { host: '127.0.0.2', tos: '16' }) > 2));
      const m = await ex.scrape();
      assert.equal(samples(m, 'smokeping_requests_total', { host: '127.0.0.1', tos: '0' }).length, 1, 'the default group has tos="0"');
      assert.equal(value(m, 'rawping_prober_errors_total'), 0);
    } finally {
      assert.equal((await ex.stop()).status, 0);
    }
  });

  test('with datagram sockets allowed, a group with its own source is probed under its source label', async () => {
    lab ??= NetnsLab.create();
    const ns = lab.addIsolated(['net.ipv4.ping_group_range=0 2147483647']);
    const path = join(dir, 'source.yml');
    writeFileSync(path, 'targets:\n- hosts: [127.0.0.1]\n  interval: 200ms\n- hosts: [127.0.0.3]\n  interval: 200ms\n  source: 127.0.0.1\n');
    const ex = await startExporter(['--config', path], { netns: ns });
    try {
      const labels = { host: '127.0.0.3', ip: '127.0.0.3', source: '127.0.0.1' };
      assert.ok(await eventually(async () => value(await ex.scrape(), 'smokeping_response_duration_seconds_count', labels) > 2));
      const m = await ex.scrape();
      assert.equal(value(m, 'smokeping_requests_total', labels), value(m, 'smokeping_response_duration_seconds_count', labels), 'every probe answered');
      assert.equal(samples(m, 'smokeping_requests_total', { host: '127.0.0.1', source: '' }).length, 1, 'the default group has source=""');
      assert.equal(samples(m, 'smokeping_requests_total').filter((s) => s.labels.tos !== undefined).length, 0, 'no group sets tos: no tos label');
      assert.equal(value(m, 'rawping_prober_errors_total'), 0);
    } finally {
      assert.equal((await ex.stop()).status, 0);
    }
  });

  test(
    'without them, such a group is refused at start and on a reload, saying why',
    { skip: dgramClosed() ? false : `ICMP datagram sockets are allowed here (ping_group_range ${groupRange()})` },
    async () => {
      const path = join(dir, 'closed.yml');
      writeFileSync(path, 'targets:\n- hosts: [127.0.0.1]\n  tos: 0x10\n');
      const r = await runCli(['exporter', '--listen', '127.0.0.1:0', '--config', path]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(
        r.stderr,
        /level=error msg="error loading config" err=".*closed\.yml:2: no socket with tos 16: it must be opened after the privilege drop, and this process may not open one .*ping_group_range/,
      );

      writeFileSync(path, 'targets:\n- hosts: [127.0.0.1]\n  interval: 200ms\n');
      const ex = await startExporter(['--config', path]);
      try {
        writeFileSync(path, 'targets:\n- hosts: [127.0.0.1]\n- hosts: [127.0.0.2]\n  source: 127.0.0.1\n');
        const reload = await ex.reload();
        assert.equal(reload.status, 500);
        assert.match(reload.body, /closed\.yml:3: no socket with source 127\.0\.0\.1/);
        const m = await ex.scrape();
        assert.deepEqual(
          samples(m, 'smokeping_requests_total').map((s) => s.labels.host),
          ['127.0.0.1'],
        );
        assert.equal(value(m, 'rawping_config_last_reload_successful'), 0);
      } finally {
        assert.equal((await ex.stop()).status, 0);
      }
    },
  );
});
