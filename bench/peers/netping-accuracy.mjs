// net-ping RTTs for the accuracy pattern: <count> probes to 127.0.0.1 one <interval> ms apart
// (sends on a fixed schedule, as ping -i does). net-ping measures RTT as the difference of two
// JavaScript Dates, so each RTT is a whole number of milliseconds.
// Usage: node netping-accuracy.mjs <net-ping entry path> <count> <intervalMs>
// Prints {"transmitted","received","avgMs","zeroMs"} as JSON.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const [netPingPath, countArg, intervalArg] = process.argv.slice(2);
const netPing = createRequire(import.meta.url)(netPingPath);
const count = Number(countArg);
const intervalMs = Number(intervalArg);
const TARGET = '127.0.0.1';

const session = netPing.createSession({ retries: 0, timeout: 1000, packetSize: 64 });
session.on('error', (error) => {
  process.stderr.write(`net-ping session error: ${error.message}\n`);
  process.exit(2);
});

const rtts = [];
let sent = 0;
let errors = 0;
const start = performance.now();

function one() {
  sent++;
  session.pingHost(TARGET, (error, _target, sentAt, rcvdAt) => {
    if (error) errors++;
    else rtts.push(rcvdAt - sentAt);
    if (sent === count) return finish();
    const due = start + sent * intervalMs;
    setTimeout(one, Math.max(0, due - performance.now()));
  });
}

function finish() {
  session.close();
  const sum = rtts.reduce((a, b) => a + b, 0);
  const out = {
    transmitted: sent,
    received: rtts.length,
    errors,
    avgMs: rtts.length ? sum / rtts.length : null,
    zeroMs: rtts.filter((r) => r === 0).length,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

one();
