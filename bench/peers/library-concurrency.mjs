// rawping's library under concurrency: N checks started at once in one process, on loopback
// addresses 127.1.0.0 onwards (every 127/8 address answers), each its own target.
// Usage: node library-concurrency.mjs <path to dist/index.js> <reachable|ping|pinger> <N> [seconds]
//   reachable  Promise.all of N isReachable(address): how many were true
//   ping       Promise.all of N ping(address, { count: 1 }): how many got their one reply
//   pinger     N createPinger(address, { interval: 1000, count: seconds }): replies of N * seconds
// Prints {"kind","n","expected","answered","wallMs","kernelDrops"} as JSON. wallMs is from the
// first call to the last result, so node's start-up is not in it.
import { pathToFileURL } from 'node:url';

const [indexPath, kind, nArg, secondsArg] = process.argv.slice(2);
const n = Number(nArg);
const seconds = Number(secondsArg ?? 20);
if (!['reachable', 'ping', 'pinger'].includes(kind) || !Number.isInteger(n) || n < 1 || n > 65536) {
  process.stderr.write('usage: library-concurrency.mjs <dist/index.js> <reachable|ping|pinger> <N 1-65536> [seconds]\n');
  process.exit(2);
}
const rawping = await import(pathToFileURL(indexPath).href);
const address = (i) => `127.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
// The process's shared sockets are one set; a set of our own shows the kernel's drop count.
const sockets = rawping.openSockets({ families: [4] });
const started = performance.now();
let answered;
let expected = n;
if (kind === 'reachable') {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => rawping.isReachable(address(i), { sockets })));
  answered = results.filter(Boolean).length;
} else if (kind === 'ping') {
  const results = await Promise.all(Array.from({ length: n }, (_, i) => rawping.ping(address(i), { count: 1, sockets })));
  answered = results.filter((s) => s.received === 1).length;
} else {
  expected = n * seconds;
  const pingers = Array.from({ length: n }, (_, i) => rawping.createPinger(address(i), { interval: 1000, count: seconds, sockets }));
  const summaries = await Promise.all(pingers.map((p) => p.done));
  answered = summaries.reduce((sum, s) => sum + s.received, 0);
}
const wallMs = performance.now() - started;
process.stdout.write(`${JSON.stringify({ kind, n, expected, answered, wallMs, kernelDrops: sockets.kernelDrops() })}\n`);
process.exit(0);
