// A real Prometheus (Debian's package, installed by .ci/run) scrapes `rawping exporter` every
// second on loopback; the test asks Prometheus' HTTP API what it stored: the series exist,
// rate() gives the probe rate, the loss is nil and histogram_quantile() a loopback RTT. The
// exposition the exporter serves passes `promtool check metrics`. Bounded: Prometheus and the
// exporter are killed after the test, whatever happens.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { eventually, request, startExporter, type RunningExporter } from '../helpers/exporter.js';
import { startCommand, type RunningCli } from '../helpers/run-cli.js';
import { cliSkipReason, commandSkipReason, socketSkipReason } from '../helpers/skip-reasons.js';

const skip =
  cliSkipReason() ??
  socketSkipReason() ??
  commandSkipReason('prometheus', ['--version'], 'prometheus (Debian package prometheus; .ci/run installs it)') ??
  commandSkipReason('promtool', ['--version'], 'promtool (Debian package prometheus)');

/** A port free on 127.0.0.1 now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface QueryResult {
  status: string;
  data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe('rawping exporter scraped by Prometheus', { skip: skip ?? false }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'rawping-prometheus-'));
  let prometheus: RunningCli | undefined;
  let exporter: RunningExporter | undefined;
  after(async () => {
    prometheus?.child.kill('SIGKILL');
    if (exporter !== undefined) await exporter.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('series, rate(), loss and histogram_quantile() as Prometheus computes them; promtool check metrics passes', async () => {
    exporter = await startExporter(['--interval', '0.2', '127.0.0.1', '::1']);
    const raw = await request(`${exporter.base}/metrics`);
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: raw.body, encoding: 'utf8', timeout: 10_000 });
    assert.equal(lint.status, 0, `${lint.stdout}${lint.stderr}`);
    assert.equal(lint.stdout + lint.stderr, '', 'promtool has nothing to say');

    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global: {scrape_interval: 1s, evaluation_interval: 1s}',
        'scrape_configs:',
        '- job_name: rawping',
        `  static_configs: [{targets: ['${exporter.base.replace('http://', '')}']}]`,
        '',
      ].join('\n'),
    );
    prometheus = startCommand(
      ['prometheus', `--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
      { timeoutMs: 90_000 },
    );
    const api = `http://127.0.0.1:${port}/api/v1/query?query=`;
    const query = async (q: string): Promise<QueryResult['data']['result']> => {
      const r = await fetch(api + encodeURIComponent(q), { signal: AbortSignal.timeout(5000) });
      const body = (await r.json()) as QueryResult;
      assert.equal(body.status, 'success', JSON.stringify(body));
      return body.data.result;
    };
    const ready = await eventually(async () => {
      try {
        return (await query('up{job="rawping"}'))[0]?.value[1] === '1';
      } catch {
        return false;
      }
    }, 30_000);
    assert.ok(ready, `Prometheus never scraped the exporter\n${prometheus.stderr}`);
    // rate() over 5 s needs a few scrapes in the window.
    const full = await eventually(async () => (await query('count_over_time(smokeping_requests_total{host="127.0.0.1"}[5s])'))[0]?.value[1] === '5', 30_000);
    assert.ok(full, 'five scrapes in five seconds');

    const hosts = (await query('smokeping_requests_total')).map((r) => `${r.metric.host}/${r.metric.ip}/${r.metric.job}`).sort();
    assert.deepEqual(hosts, ['127.0.0.1/127.0.0.1/rawping', '::1/::1/rawping']);
    for (const host of ['127.0.0.1', '::1']) {
      const rate = Number((await query(`rate(smokeping_requests_total{host="${host}"}[5s])`))[0]?.value[1]);
      assert.ok(rate > 2 && rate <= 6, `${host}: ${rate} requests/s at one per 200 ms`);
      const loss = Number(
        (await query(`1 - rate(smokeping_response_duration_seconds_count{host="${host}"}[5s]) / rate(smokeping_requests_total{host="${host}"}[5s])`))[0]
          ?.value[1],
      );
      assert.ok(Math.abs(loss) < 0.05, `${host}: loss ${loss}`);
      const p90 = Number((await query(`histogram_quantile(0.9, rate(smokeping_response_duration_seconds_bucket{host="${host}"}[5s]))`))[0]?.value[1]);
      assert.ok(p90 > 0 && p90 <= 0.0512, `${host}: p90 ${p90} s on loopback`);
    }
    const buckets = await query('count by (host) (smokeping_response_duration_seconds_bucket)');
    assert.deepEqual(
      buckets.map((b) => b.value[1]),
      ['21', '21'],
    );
    assert.equal((await query('rawping_config_last_reload_successful'))[0]?.value[1], '1');
  });
});
