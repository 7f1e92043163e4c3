// `rawping exporter` against hosts made in network namespaces (test/helpers/netns.ts): a live
// host through a router, a silent one (echo ignored), one behind an `unreachable` route; the
// numbers it serves against what was sent. Then a name whose address changes and then stops
// resolving (an /etc/hosts of the namespace's own, bind-mounted by `ip netns exec`, with a
// resolver on loopback so no lookup leaves the machine). Nothing leaves the namespaces.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { eventually, samples, startExporter, value, type Sample } from '../helpers/exporter.js';
import { NetnsLab, type TestHost, type UnreachableTarget } from '../helpers/netns.js';
import { cliSkipReason, netnsSkipReason } from '../helpers/skip-reasons.js';

const skip = cliSkipReason() ?? netnsSkipReason();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('rawping exporter in network namespaces', { skip: skip ?? false, concurrency: 2 }, () => {
  let lab: NetnsLab;
  let live: TestHost;
  let silent: TestHost;
  let unreachable: UnreachableTarget;
  let etc: string;

  before(() => {
    lab = NetnsLab.create();
    live = lab.addHost();
    silent = lab.addHost({ echo: false });
    unreachable = lab.addUnreachable();
    // ip netns exec bind-mounts /etc/netns/<ns>/* over /etc: the client's own hosts file and a
    // resolver on its loopback (nothing listens there: a name not in the file fails at once).
    etc = `/etc/netns/${lab.client}`;
    mkdirSync(etc, { recursive: true });
    writeFileSync(`${etc}/hosts`, `127.0.0.1 localhost\n${live.ip4} exporter-target\n`);
    writeFileSync(`${etc}/resolv.conf`, 'nameserver 127.0.0.1\noptions timeout:1 attempts:1\n');
  });
  after(() => {
    lab?.destroy();
    if (etc !== undefined) rmSync(etc, { recursive: true, force: true });
  });

  test('a live host answers every request; a silent one has requests and no responses; an unreachable one ICMP errors by kind', async () => {
    const path = `${etc}/exporter.yml`;
    writeFileSync(
      path,
      [
        'targets:',
        `- hosts: [${live.ip4}, "${live.ip6}"]`,
        '  interval: 250ms',
        '  labels: {role: live}',
        `- hosts: [${silent.ip4}, "${silent.ip6}"]`,
        '  interval: 250ms',
        '  timeout: 200ms',
        '  labels: {role: silent}',
        // 1 s: Linux lets a router send these errors in a burst of 5, then one a second.
        `- hosts: [${unreachable.ip4}]`,
        '  interval: 1s',
        '  timeout: 900ms',
        '  labels: {role: unreachable}',
        '',
      ].join('\n'),
    );
    const ex = await startExporter(['--config', path], { netns: lab.client });
    try {
      await sleep(3500);
      const m = await ex.scrape();
      for (const ip of [live.ip4, live.ip6]) {
        const labels = { host: ip, ip, role: 'live' };
        const requests = value(m, 'smokeping_requests_total', labels);
        assert.ok(requests >= 5, `${ip}: ${requests} requests`);
        assert.equal(value(m, 'smokeping_response_duration_seconds_count', labels), requests, `${ip}: every request answered`);
        assert.equal(value(m, 'smokeping_response_ttl', labels), 63, 'one router on the way');
        assert.equal(value(m, 'rawping_timeouts_total', labels), 0);
      }
      for (const ip of [silent.ip4, silent.ip6]) {
        const labels = { host: ip, ip, role: 'silent' };
        const requests = value(m, 'smokeping_requests_total', labels);
        assert.ok(requests >= 5, `${ip}: ${requests} requests`);
        assert.equal(value(m, 'smokeping_response_duration_seconds_count', labels), 0, `${ip}: no response`);
        assert.equal(value(m, 'rawping_timeouts_total', labels), requests, `${ip}: every request timed out`);
        assert.equal(samples(m, 'rawping_icmp_errors_total', labels).length, 0);
        assert.equal(samples(m, 'rawping_last_reply_timestamp_seconds', labels).length, 0);
      }
      const u = { host: unreachable.ip4, ip: unreachable.ip4, role: 'unreachable' };
      const requests = value(m, 'smokeping_requests_total', u);
      assert.ok(requests >= 2, `${requests} requests`);
      // Type 3 code 1 (host unreachable), from the router that holds the route: none timed out.
      assert.equal(value(m, 'rawping_icmp_errors_total', { ...u, kind: 'destination-unreachable', code: '1' }), requests);
      assert.equal(value(m, 'smokeping_response_duration_seconds_count', u), 0);
      assert.equal(value(m, 'rawping_timeouts_total', u), 0);
    } finally {
      assert.equal((await ex.stop()).status, 0);
    }
  });

  test('a name is looked up again: a new address shows in the ip label; a name that stops resolving keeps its series and counts failures', async () => {
    const path = `${etc}/dns.yml`;
    writeFileSync(path, 'targets:\n- hosts: [exporter-target]\n  interval: 200ms\ndns_refresh: 300ms\n');
    const ex = await startExporter(['--config', path], { netns: lab.client });
    const ips = (m: Sample[]): string[] => samples(m, 'smokeping_requests_total', { host: 'exporter-target' }).map((s) => s.labels.ip ?? '');
    try {
      assert.deepEqual(ips(await ex.scrape()), [live.ip4]);
      assert.ok(await eventually(async () => value(await ex.scrape(), 'smokeping_response_duration_seconds_count', { host: 'exporter-target' }) > 0));
      // Written in place: the bind mount shows the file's new content.
      writeFileSync(`${etc}/hosts`, '127.0.0.1 localhost exporter-target\n');
      assert.ok(await eventually(async () => ips(await ex.scrape()).join() === '127.0.0.1'), `ip label: ${ips(await ex.scrape()).join()}`);
      assert.match(
        ex.cli.stderr,
        new RegExp(`level=info msg="address changed" host=exporter-target from=${live.ip4.replace(/\./g, '\\.')} to=127\\.0\\.0\\.1`),
      );
      assert.ok(
        await eventually(async () => value(await ex.scrape(), 'smokeping_response_duration_seconds_count', { ip: '127.0.0.1' }) > 0),
        'the new address answers',
      );

      writeFileSync(`${etc}/hosts`, '127.0.0.1 localhost\n');
      assert.ok(await eventually(async () => value(await ex.scrape(), 'rawping_dns_failures_total', { host: 'exporter-target' }) >= 2), 'failures counted');
      const m = await ex.scrape();
      assert.deepEqual(ips(m), ['127.0.0.1'], 'the series stays, with its last address');
      const before = value(m, 'smokeping_requests_total', { host: 'exporter-target' });
      assert.ok(await eventually(async () => value(await ex.scrape(), 'smokeping_requests_total', { host: 'exporter-target' }) > before + 2), 'still probed');
      assert.ok(value(m, 'rawping_dns_lookup_failures_total') >= 2);
      assert.match(ex.cli.stderr, /level=warn msg="lookup failed; the last address is still probed" host=exporter-target/);
    } finally {
      writeFileSync(`${etc}/hosts`, `127.0.0.1 localhost\n${live.ip4} exporter-target\n`);
      assert.equal((await ex.stop()).status, 0);
    }
  });
});
