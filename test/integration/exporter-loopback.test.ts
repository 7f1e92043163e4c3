// `rawping exporter` for real, on loopback: the numbers it serves against what it sent (one
// request per interval per target, every one answered), reloads that add and remove targets,
// reloads that fail and leave the running config as it was (wrong types, unknown keys, a
// 10 MB file, a name with terminal escapes: docs/hostile-inputs.md #33), a clean exit on
// SIGTERM, refusals at start, and --user. Every run is bounded; nothing leaves 127.0.0.0/8 and ::1.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { eventually, samples, startExporter, value, type Sample } from '../helpers/exporter.js';
import { runCli } from '../helpers/run-cli.js';
import { cliSkipReason, commandSkipReason, socketSkipReason } from '../helpers/skip-reasons.js';

const skip = cliSkipReason() ?? socketSkipReason();
const dir = mkdtempSync(join(tmpdir(), 'rawping-exporter-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const config = (text: string): string => {
  const path = join(dir, `c${files++}.yml`);
  writeFileSync(path, text);
  return path;
};
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const hosts = (all: Sample[]): string[] =>
  samples(all, 'smokeping_requests_total')
    .map((s) => s.labels.host ?? '')
    .sort();

describe('rawping exporter on loopback', { skip: skip ?? false, concurrency: 3 }, () => {
  test('requests grow one per interval per target, each answered; labels, TTL and the histogram as smokeping_prober has them', async () => {
    const path = config(
      ['targets:', '- hosts: [127.0.0.1, ::1]', '  interval: 200ms', '  labels: {site: lab}', '- hosts: [127.0.0.2]', '  interval: 500ms', ''].join('\n'),
    );
    const ex = await startExporter(['--config', path]);
    try {
      const t0 = Date.now();
      const first = await ex.scrape();
      await sleep(2000);
      const second = await ex.scrape();
      const elapsed = Date.now() - t0;
      for (const [host, intervalMs, site] of [
        ['127.0.0.1', 200, 'lab'],
        ['::1', 200, 'lab'],
        ['127.0.0.2', 500, ''],
      ] as const) {
        const labels = { host, ip: host, site };
        const grown = value(second, 'smokeping_requests_total', labels) - value(first, 'smokeping_requests_total', labels);
        // One probe per interval at most (a stalled event loop may skip a slot, never add one).
        assert.ok(grown <= Math.ceil(elapsed / intervalMs) + 1, `${host}: ${grown} requests in ${elapsed} ms at ${intervalMs} ms`);
        assert.ok(grown >= Math.floor(2000 / intervalMs / 2), `${host}: only ${grown} requests in ${elapsed} ms at ${intervalMs} ms`);
        const requests = value(second, 'smokeping_requests_total', labels);
        assert.equal(value(second, 'smokeping_response_duration_seconds_count', labels), requests, `${host}: every request answered`);
        assert.equal(value(second, 'smokeping_response_duration_seconds_bucket', { ...labels, le: '+Inf' }), requests);
        assert.equal(value(second, 'rawping_timeouts_total', labels), 0);
        assert.equal(value(second, 'smokeping_response_ttl', labels), 64);
        assert.equal(samples(second, 'smokeping_response_duration_seconds_bucket', labels).length, 21);
        const sum = value(second, 'smokeping_response_duration_seconds_sum', labels);
        assert.ok(sum > 0 && sum / requests < 0.05, `${host}: mean RTT ${sum / requests} s on loopback`);
        const last = value(second, 'rawping_last_reply_timestamp_seconds', labels);
        assert.ok(Math.abs(last - Date.now() / 1000) < 5, `last reply at ${last}`);
      }
      assert.equal(value(second, 'rawping_targets'), 3);
      assert.equal(value(second, 'rawping_config_last_reload_successful'), 1);
      assert.equal(value(second, 'rawping_receive_drops_total') >= 0, true);
      assert.equal(samples(second, 'rawping_build_info').length, 1);
      assert.ok(value(second, 'process_resident_memory_bytes') > 0, 'prom-client process metrics');
    } finally {
      const r = await ex.stop();
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /level=info msg="shutting down"\n.*level=info msg=stopped\n$/);
    }
  });

  test('a reload adds and removes targets; reloads that fail leave the running config, and the daemon survives them', async () => {
    const path = join(dir, 'reload.yml');
    writeFileSync(path, 'targets:\n- hosts: [127.0.0.3, 127.0.0.4]\n  interval: 200ms\n');
    const ex = await startExporter(['--config', path]);
    try {
      const start = await ex.scrape();
      assert.deepEqual(hosts(start), ['127.0.0.3', '127.0.0.4']);
      const firstHash = sha256(path);
      assert.deepEqual(
        samples(start, 'rawping_config_info').map((s) => [s.labels, s.value]),
        [[{ file: path, sha256: firstHash }, 1]],
      );
      writeFileSync(path, 'targets:\n- hosts: [127.0.0.4, 127.0.0.5]\n  interval: 200ms\n');
      const goodHash = sha256(path);
      const ok = await ex.reload();
      assert.equal(ok.status, 200, ok.body);
      const after1 = await ex.scrape();
      assert.deepEqual(hosts(after1), ['127.0.0.4', '127.0.0.5']);
      assert.notEqual(goodHash, firstHash);
      assert.deepEqual(
        samples(after1, 'rawping_config_info').map((s) => [s.labels, s.value]),
        [[{ file: path, sha256: goodHash }, 1]],
        'the info follows the reload: one series, the new hash',
      );
      assert.ok(
        await eventually(async () => value(await ex.scrape(), 'smokeping_response_duration_seconds_count', { host: '127.0.0.5' }) > 0),
        'the new target answers',
      );

      // Each bad file: a 500 naming the problem, an error line, the gauge at 0, the old targets still probed.
      const bad: [string, string | Buffer, RegExp][] = [
        ['unknown key', 'targets:\n- hosts: [127.0.0.6]\n  colour: red\n', /reload\.yml:3: unknown key 'colour' in a target group/],
        ['wrong type', 'targets:\n- hosts: [127.0.0.6]\n  interval: fast\n', /reload\.yml:3: interval: expected a duration such as 1s or 500ms, not 'fast'/],
        ['10 MB', Buffer.alloc(10 * 1024 * 1024, 0x23), /reload\.yml: 10485760 bytes, larger than the 4194304 a config may be/],
        ['terminal escapes', 'targets:\n- hosts: ["x\\x1b]2;pwned\\x07"]\n', /reload\.yml:2: hosts: an invalid host 'x\\x1b\]2;pwned\\x07'/],
        ['duplicate series', 'targets:\n- hosts: [127.0.0.6, 127.0.0.6]\n', /host '127\.0\.0\.6' is listed twice with the same labels/],
      ];
      for (const [what, text, message] of bad) {
        writeFileSync(path, text);
        const before = value(await ex.scrape(), 'smokeping_requests_total', { host: '127.0.0.5' });
        const r = await ex.reload();
        assert.equal(r.status, 500, `${what}: ${r.body}`);
        assert.match(r.body, message, what);
        assert.doesNotMatch(r.body + ex.cli.stderr, /[\x00-\x09\x0b-\x1f]/, `${what}: a raw control character was echoed`);
        const now = await ex.scrape();
        assert.deepEqual(hosts(now), ['127.0.0.4', '127.0.0.5'], what);
        assert.equal(value(now, 'rawping_config_last_reload_successful'), 0, what);
        assert.equal(value(now, 'rawping_config_info', { file: path, sha256: goodHash }), 1, `${what}: the info is still the running config's`);
        assert.ok(
          await eventually(async () => value(await ex.scrape(), 'smokeping_requests_total', { host: '127.0.0.5' }) > before),
          `${what}: probing goes on`,
        );
      }
      assert.match(ex.cli.stderr, /level=error msg="error reloading config; the running config stays" reason=http err=/);

      // SIGHUP reloads too.
      writeFileSync(path, 'targets:\n- hosts: [127.0.0.7]\n  interval: 200ms\n');
      ex.cli.child.kill('SIGHUP');
      assert.ok(await eventually(async () => hosts(await ex.scrape()).join() === '127.0.0.7'), 'SIGHUP loaded the new file');
      assert.equal(value(await ex.scrape(), 'rawping_config_last_reload_successful'), 1);
      assert.match(ex.cli.stderr, /msg="reloaded config" reason=SIGHUP targets=1/);
      assert.equal((await ex.reload()).status, 200, 'a reload of the same file');
      assert.equal(ex.cli.child.exitCode, null, 'still running');
    } finally {
      const r = await ex.stop();
      assert.equal(r.status, 0, r.stderr);
    }
  });

  test('probes are spread over the interval: 320 targets start chunk by chunk, never all at once', async () => {
    // 10 chunks of 32 at 2 s: one chunk every 200 ms. Scraped every 100 ms from the start, the
    // targets with a first request show up a chunk at a time; a burst would show 0, then 320.
    const all = Array.from({ length: 320 }, (_, i) => `127.20.${i >> 8}.${i & 255}`);
    const path = config(`targets:\n- hosts: [${all.join(', ')}]\n  interval: 2s\n`);
    const ex = await startExporter(['--config', path]);
    try {
      const seen: number[] = [];
      const end = Date.now() + 4000;
      for (let i = 0; i < 60 && Date.now() < end; i++) {
        const m = await ex.scrape();
        const started = samples(m, 'smokeping_requests_total').filter((s) => s.value > 0).length;
        seen.push(started);
        if (started === all.length) break;
        await sleep(100);
      }
      assert.equal(seen[seen.length - 1], all.length, `every target probed within one interval: ${seen.join(',')}`);
      const partial = new Set(seen.filter((n) => n > 0 && n < all.length));
      assert.ok(partial.size >= 5, `targets start a chunk at a time, not in one burst: ${seen.join(',')}`);
    } finally {
      await ex.stop();
    }
  });

  test('--buckets: the histogram has the bounds given, as its le labels, and counts the replies in them', async () => {
    const run = await startExporter(['--buckets', '0.00001, 0.0025,5e-1', '-i', '0.1', '127.0.0.13']);
    try {
      const labels = { host: '127.0.0.13', ip: '127.0.0.13' };
      assert.ok(await eventually(async () => value(await run.scrape(), 'smokeping_response_duration_seconds_count', labels) >= 3));
      const m = await run.scrape();
      const buckets = samples(m, 'smokeping_response_duration_seconds_bucket', labels);
      assert.deepEqual(
        buckets.map((b) => b.labels.le),
        ['1e-05', '0.0025', '0.5', '+Inf'],
      );
      const count = value(m, 'smokeping_response_duration_seconds_count', labels);
      assert.equal(value(m, 'smokeping_response_duration_seconds_bucket', { ...labels, le: '+Inf' }), count);
      // Loopback answers well within 0.5 s: every reply is in the last finite bucket.
      assert.equal(value(m, 'smokeping_response_duration_seconds_bucket', { ...labels, le: '0.5' }), count);
      assert.ok(
        buckets.every((b, i) => i === 0 || b.value >= (buckets[i - 1] as Sample).value),
        'cumulative',
      );
    } finally {
      await run.stop();
    }
  });

  test('a target is probed by a chain of sessions (60 rounds each) with no probe lost or doubled between them', async () => {
    const path = config('targets:\n- hosts: [127.0.0.11]\n  interval: 10ms\n');
    const ex = await startExporter(['--config', path]);
    try {
      const t0 = Date.now();
      const first = value(await ex.scrape(), 'smokeping_requests_total', { host: '127.0.0.11' });
      await sleep(2500); // about four sessions of 600 ms
      const m = await ex.scrape();
      const elapsed = Date.now() - t0;
      const requests = value(m, 'smokeping_requests_total', { host: '127.0.0.11' });
      assert.ok(requests - first <= elapsed / 10 + 2, `${requests - first} requests in ${elapsed} ms at 10 ms`);
      assert.ok(requests - first >= 100, `only ${requests - first} requests in ${elapsed} ms at 10 ms`);
      assert.equal(value(m, 'smokeping_response_duration_seconds_count', { host: '127.0.0.11' }), requests);
      assert.equal(value(m, 'smokeping_response_duplicates_total', { host: '127.0.0.11' }), 0);
      assert.equal(value(m, 'rawping_timeouts_total', { host: '127.0.0.11' }), 0);
    } finally {
      await ex.stop();
    }
  });

  test('/-/healthy, /-/ready, GET /-/reload and unknown paths', async () => {
    const ex = await startExporter(['127.0.0.8']);
    try {
      const get = async (path: string, method = 'GET'): Promise<[number, string]> => {
        const r = await fetch(`${ex.base}${path}`, { method, signal: AbortSignal.timeout(5000) });
        return [r.status, await r.text()];
      };
      assert.deepEqual(await get('/-/healthy'), [200, 'Healthy\n']);
      assert.equal(value(await ex.scrape(), 'rawping_config_info', { file: '', sha256: '' }), 1, 'command-line targets only: no file, no hash');
      assert.deepEqual(await get('/-/ready'), [200, 'Ready\n']);
      assert.deepEqual(await get('/-/reload'), [405, 'This endpoint requires a POST request.\n']);
      assert.deepEqual(await get('/nope'), [404, 'Not found\n']);
      const gz = await fetch(`${ex.base}/metrics`, { headers: { 'accept-encoding': 'gzip' }, signal: AbortSignal.timeout(5000) });
      assert.equal(gz.headers.get('content-encoding'), 'gzip');
      assert.match(await gz.text(), /^smokeping_requests_total\{host="127\.0\.0\.8",ip="127\.0\.0\.8"\} \d+$/m);
    } finally {
      await ex.stop();
    }
  });

  test('refusals at start: exit 2 with one line naming the problem', async () => {
    const bad = config('targets:\n- hosts: [127.0.0.1]\n  tos: lots\n');
    const r = await runCli(['exporter', '--listen', '127.0.0.1:0', '--config', bad]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`level=error msg="error loading config" err="${bad.replace(/[.]/g, '\\.')}:3: tos: expected 0-255`));
    for (const [args, message] of [
      [[], /^rawping: exporter: no targets: give hosts, or a --config file with targets/],
      [['--listen', 'nowhere', '127.0.0.1'], /^rawping: invalid --listen 'nowhere'/],
      [['--buckets', '1,0.5', '127.0.0.1'], /^rawping: invalid --buckets: the bounds must be ascending/],
      [['--log.format', 'xml', '127.0.0.1'], /^rawping: invalid --log\.format 'xml': expected 'logfmt', 'json'/],
      [['bad\x1bhost'], /^rawping: invalid target: an invalid host 'bad\\x1bhost'/],
    ] as const) {
      const u = await runCli(['exporter', ...args]);
      assert.equal(u.status, 2, u.stderr);
      assert.match(u.stderr, message);
    }
    // The port is taken: a clear line, exit 2.
    const ex = await startExporter(['127.0.0.1']);
    try {
      const taken = await runCli(['exporter', '--listen', ex.base.replace('http://', ''), '127.0.0.1']);
      assert.equal(taken.status, 2);
      assert.match(taken.stderr, /level=error msg="cannot listen" address=127\.0\.0\.1:\d+ err="listen EADDRINUSE/);
    } finally {
      await ex.stop();
    }
  });

  test('`rawping -- exporter` still pings a host named exporter', async () => {
    const r = await runCli(['-c', '1', '-W', '1', '--', 'exporter']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^rawping: exporter: /);
  });

  test('JSON log lines', async () => {
    const ex = await startExporter(['--log.format', 'json', '127.0.0.9']);
    await ex.stop();
    const lines = ex.cli.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => l.msg),
      ['starting rawping exporter', 'loaded config', 'listening', 'shutting down', 'stopped'],
    );
    assert.equal(lines[1]?.targets, 1);
  });

  test(
    'as a service: a non-root user with only ambient CAP_NET_RAW opens its sockets, restarts without it, and probes',
    {
      skip:
        process.geteuid?.() === 0
          ? (commandSkipReason('setpriv', ['--version'], 'setpriv (util-linux)') ?? false)
          : 'needs root to start as nobody with CAP_NET_RAW',
    },
    async () => {
      // As docs/rawping-exporter.service starts it (AmbientCapabilities=CAP_NET_RAW).
      const ex = await startExporter(['127.0.0.12'], {
        setpriv: ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=+net_raw', '--ambient-caps=+net_raw'],
      });
      try {
        const status = readFileSync(`/proc/${ex.cli.child.pid}/status`, 'utf8');
        assert.match(status, /^Uid:\t65534\t65534\t65534\t65534$/m);
        for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapAmb']) assert.match(status, new RegExp(`^${set}:\t0000000000000000$`, 'm'), set);
        assert.match(ex.cli.stderr, /msg="starting rawping exporter" version=\S+ sockets="IPv4 raw, IPv6 raw"/);
        assert.ok(await eventually(async () => value(await ex.scrape(), 'smokeping_response_duration_seconds_count', { host: '127.0.0.12' }) > 0));
      } finally {
        assert.equal((await ex.stop()).status, 0);
      }
    },
  );

  test('--user: started as root, it probes as that user', { skip: process.geteuid?.() === 0 ? false : 'needs root' }, async () => {
    const ex = await startExporter(['--user', '65534:65534', '127.0.0.10']);
    try {
      const status = readFileSync(`/proc/${ex.cli.child.pid}/status`, 'utf8');
      assert.match(status, /^Uid:\t65534\t65534\t65534\t65534$/m);
      assert.match(status, /^Gid:\t65534\t65534\t65534\t65534$/m);
      assert.match(status, /^CapEff:\t0000000000000000$/m);
      assert.ok(await eventually(async () => value(await ex.scrape(), 'smokeping_response_duration_seconds_count', { host: '127.0.0.10' }) > 0));
    } finally {
      assert.equal((await ex.stop()).status, 0);
    }
  });
});
