// The per-target exposition: smokeping_prober's families and label keys, its `le` texts, the
// text format Prometheus reads (checked by promtool where it is installed), and figures read
// per target at one moment.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { DEFAULT_BUCKETS, goFloat, parseBuckets, PIECE_BYTES, TargetExposition } from '../../../src/cli/exporter/exposition.js';
import { count } from '../../../src/cli/exporter/target-prober.js';
import { labelText, labelValue, TargetSeries } from '../../../src/cli/exporter/target-series.js';
import { commandSkipReason } from '../../helpers/skip-reasons.js';

const text = async (series: TargetSeries[], bounds = DEFAULT_BUCKETS): Promise<string> => {
  const pieces: Buffer[] = [];
  const done = await new TargetExposition(bounds).stream(series, (piece) => {
    // Pieces are handed over, never reused by the writer: keep them as they are.
    pieces.push(piece);
    return Promise.resolve(true);
  });
  assert.equal(done, true);
  return Buffer.concat(pieces).toString('utf8');
};

const series = (host: string, ip: string, extra: [string, string][] = []): TargetSeries =>
  new TargetSeries(labelText([['host', host], ['ip', ip], ...extra]), Float64Array.from(DEFAULT_BUCKETS));

describe('goFloat', () => {
  test("smokeping_prober's default le values, as Go prints them", () => {
    assert.deepEqual(DEFAULT_BUCKETS.map(goFloat), [
      '5e-05',
      '0.0001',
      '0.0002',
      '0.0004',
      '0.0008',
      '0.0016',
      '0.0032',
      '0.0064',
      '0.0128',
      '0.0256',
      '0.0512',
      '0.1024',
      '0.2048',
      '0.4096',
      '0.8192',
      '1.6384',
      '3.2768',
      '6.5536',
      '13.1072',
      '26.2144',
    ]);
  });
  test('exponents, integers and the infinities', () => {
    assert.equal(goFloat(1e-7), '1e-07');
    assert.equal(goFloat(1.5e-5), '1.5e-05');
    assert.equal(goFloat(1), '1');
    assert.equal(goFloat(0.5), '0.5');
    assert.equal(goFloat(1e21), '1e+21');
    assert.equal(goFloat(Infinity), '+Inf');
    assert.equal(goFloat(0), '0');
  });
});

describe('parseBuckets', () => {
  test('ascending positive seconds', () => {
    assert.deepEqual(parseBuckets('0.001, 0.01,0.1,1'), [0.001, 0.01, 0.1, 1]);
    assert.deepEqual(parseBuckets('5e-05'), [5e-5]);
  });
  test('refused: not numbers, not ascending, not positive, too many', () => {
    assert.throws(() => parseBuckets('0.1,abc'), /'abc' is not a positive number of seconds/);
    assert.throws(() => parseBuckets('0.1,0.01'), /the bounds must be ascending/);
    assert.throws(() => parseBuckets('0,1'), /'0' is not a positive number/);
    assert.throws(() => parseBuckets('Infinity'), /not a positive number/);
    assert.throws(() => parseBuckets(Array.from({ length: 65 }, (_, i) => String(i + 1)).join(',')), /65 bounds \(at most 64\)/);
  });
});

describe('labels', () => {
  test('values are escaped as the text format wants: backslash, quote, newline', () => {
    assert.equal(labelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
    assert.equal(
      labelText([
        ['host', 'x"y'],
        ['ip', '::1'],
      ]),
      'host="x\\"y",ip="::1"',
    );
  });
});

describe('TargetExposition', () => {
  test('families, label keys and cumulative buckets as smokeping_prober writes them', async () => {
    const s = series('localhost', '127.0.0.1', [['site', 'ams']]);
    count(s, { type: 'reply', target: 'localhost', address: '127.0.0.1', from: '127.0.0.1', sequence: 1, rttMs: 0.03, ttl: 64, bytes: 64, truncated: false });
    count(s, { type: 'reply', target: 'localhost', address: '127.0.0.1', from: '127.0.0.1', sequence: 2, rttMs: 0.3, ttl: 63, bytes: 64, truncated: false });
    count(s, { type: 'timeout', target: 'localhost', address: '127.0.0.1', sequence: 3 });
    count(s, {
      type: 'duplicate',
      target: 'localhost',
      address: '127.0.0.1',
      from: '127.0.0.1',
      sequence: 2,
      rttMs: 0.4,
      ttl: 63,
      bytes: 64,
      truncated: false,
    });
    const out = await text([s]);
    const L = 'host="localhost",ip="127.0.0.1",site="ams"';
    const lines = out.split('\n');
    assert.ok(lines.includes(`smokeping_requests_total{${L}} 3`), out);
    assert.ok(lines.includes(`smokeping_response_duration_seconds_bucket{${L},le="5e-05"} 1`));
    assert.ok(lines.includes(`smokeping_response_duration_seconds_bucket{${L},le="0.0002"} 1`));
    assert.ok(lines.includes(`smokeping_response_duration_seconds_bucket{${L},le="0.0004"} 2`));
    assert.ok(lines.includes(`smokeping_response_duration_seconds_bucket{${L},le="+Inf"} 2`));
    assert.ok(lines.includes(`smokeping_response_duration_seconds_count{${L}} 2`));
    assert.ok(lines.includes(`smokeping_response_duplicates_total{${L}} 1`));
    assert.ok(lines.includes(`smokeping_response_ttl{${L}} 63`));
    assert.ok(lines.includes(`rawping_timeouts_total{${L}} 1`));
    const sum = lines.find((l) => l.startsWith(`smokeping_response_duration_seconds_sum{${L}} `));
    assert.ok(sum !== undefined && Math.abs(Number(sum.split(' ')[1]) - 0.00033) < 1e-12, sum);
    assert.equal(lines.filter((l) => l.startsWith('smokeping_response_duration_seconds_bucket{')).length, 21);
    assert.ok(out.indexOf('# TYPE smokeping_requests_total counter') < out.indexOf('# TYPE smokeping_response_duration_seconds histogram'));
  });

  test('ICMP errors by kind and code, send errors by errno; a retried send is not a request yet', async () => {
    const s = series('10.0.0.9', '10.0.0.9');
    const ref = { target: '10.0.0.9', address: '10.0.0.9' };
    count(s, {
      type: 'error',
      ...ref,
      advisory: false,
      from: '10.0.0.1',
      sequence: 1,
      kind: 'destination-unreachable',
      icmpType: 3,
      icmpCode: 1,
      reason: 'Destination Host Unreachable',
      mtu: null,
    });
    count(s, {
      type: 'error',
      ...ref,
      advisory: false,
      from: '10.0.0.1',
      sequence: 2,
      kind: 'destination-unreachable',
      icmpType: 3,
      icmpCode: 1,
      reason: 'Destination Host Unreachable',
      mtu: null,
    });
    count(s, {
      type: 'error',
      ...ref,
      advisory: true,
      from: '10.0.0.1',
      sequence: 3,
      kind: 'redirect',
      icmpType: 5,
      icmpCode: 1,
      reason: 'Redirect Host',
      mtu: null,
    });
    count(s, { type: 'send-error', ...ref, sequence: 4, code: 'ENOBUFS', message: 'No buffer space available', retried: true });
    count(s, { type: 'send-error', ...ref, sequence: 4, code: 'EPERM', message: 'blocked by a local firewall rule', retried: false });
    const out = await text([s]);
    const L = 'host="10.0.0.9",ip="10.0.0.9"';
    assert.match(out, new RegExp(`^rawping_icmp_errors_total\\{${L},kind="destination-unreachable",code="1"\\} 2$`, 'm'));
    assert.match(out, new RegExp(`^rawping_icmp_errors_total\\{${L},kind="redirect",code="1"\\} 1$`, 'm'));
    assert.match(out, new RegExp(`^rawping_send_errors_total\\{${L},errno="ENOBUFS"\\} 1$`, 'm'));
    assert.match(out, new RegExp(`^rawping_send_errors_total\\{${L},errno="EPERM"\\} 1$`, 'm'));
    // Two unreachable probes and one refused send are settled; the redirect and the retried send are not.
    assert.match(out, new RegExp(`^smokeping_requests_total\\{${L}\\} 3$`, 'm'));
    assert.doesNotMatch(out, /^rawping_last_reply_timestamp_seconds\{/m);
  });

  test('late and corrupted replies: counted in their own families, never as responses', async () => {
    const s = series('127.0.0.1', '127.0.0.1');
    const ref = { target: '127.0.0.1', address: '127.0.0.1', from: '127.0.0.1' };
    count(s, { type: 'timeout', target: '127.0.0.1', address: '127.0.0.1', sequence: 1 });
    count(s, { type: 'late', ...ref, sequence: 1, rttMs: 1500 });
    count(s, { type: 'late', ...ref, sequence: 0, rttMs: null });
    count(s, { type: 'corrupted', ...ref, sequence: 2, rttMs: 0.05, ttl: 64, bytes: 64 });
    const out = await text([s]);
    const L = 'host="127.0.0.1",ip="127.0.0.1"';
    assert.match(out, /^# TYPE rawping_late_replies_total counter$/m);
    assert.match(out, /^# TYPE rawping_corrupted_replies_total counter$/m);
    assert.match(out, new RegExp(`^rawping_late_replies_total\\{${L}\\} 2$`, 'm'));
    assert.match(out, new RegExp(`^rawping_corrupted_replies_total\\{${L}\\} 1$`, 'm'));
    // The probe timed out (one request); the late copy and the corrupted reply add no response.
    assert.match(out, new RegExp(`^smokeping_requests_total\\{${L}\\} 1$`, 'm'));
    assert.match(out, new RegExp(`^smokeping_response_duration_seconds_count\\{${L}\\} 0$`, 'm'));
    assert.match(out, new RegExp(`^rawping_timeouts_total\\{${L}\\} 1$`, 'm'));
    assert.doesNotMatch(out, /^rawping_last_reply_timestamp_seconds\{/m);
  });

  test('many targets: every one in every family, across the pieces, with its own labels', async () => {
    const n = 2507;
    const all = Array.from({ length: n }, (_, i) => series(`h${i}`, `127.1.${i >> 8}.${i & 255}`));
    all.forEach((s, i) => {
      for (let k = 0; k < i % 3; k++) count(s, { type: 'timeout', target: `h${i}`, address: '', sequence: k });
    });
    const out = await text(all);
    const requests = out.split('\n').filter((l) => l.startsWith('smokeping_requests_total{'));
    assert.equal(requests.length, n);
    assert.equal(requests[n - 1], `smokeping_requests_total{host="h${n - 1}",ip="127.1.${(n - 1) >> 8}.${(n - 1) & 255}"} ${(n - 1) % 3}`);
    assert.equal(out.split('\n').filter((l) => l.startsWith('# TYPE ')).length, 11);
  });

  test('pieces of at most PIECE_BYTES (plus a line), figures copied at the start, and a sink that gives up ends it', async () => {
    const all = Array.from({ length: 3000 }, (_, i) => series(`h${i}`, `127.2.${i >> 8}.${i & 255}`));
    const sizes: number[] = [];
    const kept: Buffer[] = [];
    let first = true;
    const finished = await new TargetExposition(DEFAULT_BUCKETS).stream(all, (piece) => {
      sizes.push(piece.length);
      kept.push(piece);
      // Probes counted while the text is being written show in the next scrape, not in this one.
      if (first) for (const s of all) count(s, { type: 'timeout', target: '', address: '', sequence: 1 });
      first = false;
      return Promise.resolve(true);
    });
    assert.equal(finished, true);
    assert.ok(sizes.length >= 3 && sizes.every((n) => n <= PIECE_BYTES + 4096), `${sizes.length} pieces, largest ${Math.max(...sizes)}`);
    const during = Buffer.concat(kept).toString('utf8').split('\n');
    assert.equal(during.filter((l) => l.startsWith('rawping_timeouts_total{') && l.endsWith(' 0')).length, 3000, 'this scrape is as of its start');
    assert.equal(during.filter((l) => l.startsWith('smokeping_requests_total{') && l.endsWith(' 0')).length, 3000);
    const lines = (await text(all)).split('\n');
    assert.equal(lines.filter((l) => l.startsWith('rawping_timeouts_total{') && l.endsWith(' 1')).length, 3000, 'the next scrape has them');
    let pieces = 0;
    const stopped = await new TargetExposition(DEFAULT_BUCKETS).stream(all, () => Promise.resolve(++pieces < 2));
    assert.equal(stopped, false);
    assert.equal(pieces, 2);
  });

  const promtool = commandSkipReason('promtool', ['--version'], 'promtool (Debian package prometheus)');
  test('promtool check metrics finds nothing wrong', { skip: promtool ?? false }, async () => {
    const all = [series('localhost', '127.0.0.1', [['site', 'a "quoted" \\ site']]), series('::1', '::1', [['site', '']])];
    for (const s of all) {
      count(s, { type: 'reply', target: 'x', address: 'x', from: 'x', sequence: 1, rttMs: 0.05, ttl: 64, bytes: 64, truncated: false });
      count(s, {
        type: 'error',
        target: 'x',
        address: 'x',
        advisory: false,
        from: 'x',
        sequence: 2,
        kind: 'time-exceeded',
        icmpType: 11,
        icmpCode: 0,
        reason: 'Time to live exceeded',
        mtu: null,
      });
      count(s, { type: 'send-error', target: 'x', address: 'x', sequence: 3, code: 'EHOSTUNREACH', message: 'x', retried: false });
    }
    const r = spawnSync('promtool', ['check', 'metrics'], { input: await text(all), encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    assert.equal(r.stdout + r.stderr, '');
  });
});
