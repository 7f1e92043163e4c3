// rawping's library streaming a range: pingEach(addressRange(cidr), { count: 1, rate: 0 }),
// each summary counted and dropped, as a program sweeping a network would.
// Usage: node library-streaming.mjs <path to dist/index.js> <cidr in 127.0.0.0/8>
// Prints {"targets","alive"} as JSON.
import { pathToFileURL } from 'node:url';

const [indexPath, cidr] = process.argv.slice(2);
if (!cidr?.startsWith('127.')) throw new Error(`refusing ${cidr}: the benchmark only sends to 127.0.0.0/8`);
const { addressRange, pingEach } = await import(pathToFileURL(indexPath).href);
let targets = 0;
let alive = 0;
for await (const summary of pingEach(addressRange(cidr), { count: 1, rate: 0 })) {
  targets++;
  if (summary.received > 0) alive++;
}
process.stdout.write(`${JSON.stringify({ targets, alive })}\n`);
process.exit(0);
