#!/usr/bin/env node
// Why the exporter writes its per-target families itself: the same families, labels and
// buckets through prom-client (the ecosystem's standard metrics library), N targets, and the
// time registry.metrics() takes (median of 5) and the process's peak RSS. No network at all.
//
// usage: prom-client-exposition.mjs <repo root> <targets>
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const [root, countText] = process.argv.slice(2);
const count = Number(countText);
const client = createRequire(join(resolve(root), 'package.json'))('prom-client');
const registry = new client.Registry();
const labelNames = ['host', 'ip'];
const buckets = Array.from({ length: 20 }, (_, k) => 0.00005 * 2 ** k);
const families = {
  requests: new client.Counter({ name: 'smokeping_requests_total', help: 'h', labelNames, registers: [registry] }),
  duration: new client.Histogram({ name: 'smokeping_response_duration_seconds', help: 'h', labelNames, buckets, registers: [registry] }),
  duplicates: new client.Counter({ name: 'smokeping_response_duplicates_total', help: 'h', labelNames, registers: [registry] }),
  ttl: new client.Gauge({ name: 'smokeping_response_ttl', help: 'h', labelNames, registers: [registry] }),
};
for (const name of ['rawping_timeouts_total', 'rawping_late_replies_total', 'rawping_corrupted_replies_total', 'rawping_dns_failures_total']) {
  families[name] = new client.Counter({ name, help: 'h', labelNames, registers: [registry] });
}
families.last = new client.Gauge({ name: 'rawping_last_reply_timestamp_seconds', help: 'h', labelNames, registers: [registry] });
for (let i = 0; i < count; i++) {
  const labels = { host: `127.20.${i >> 8}.${i & 255}`, ip: `127.20.${i >> 8}.${i & 255}` };
  for (const f of Object.values(families)) {
    if (f instanceof client.Histogram) for (let k = 0; k < 30; k++) f.observe(labels, Math.random() * 0.001);
    else if (f instanceof client.Gauge) f.set(labels, 64);
    else f.inc(labels, 30);
  }
}
const times = [];
let bytes = 0;
for (let k = 0; k < 5; k++) {
  const t = performance.now();
  bytes = (await registry.metrics()).length;
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const hwmKb = Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
process.stdout.write(`${JSON.stringify({ targets: count, metricsMs: times[2], peakRssKb: hwmKb, metricsBytes: bytes })}\n`);
