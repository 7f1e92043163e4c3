// rawping's library for the accuracy pattern: ping('127.0.0.1', { count, interval }) and its
// summary.rtt.avg (milliseconds, from kernel send/receive stamps).
// Usage: node library-accuracy.mjs <path to dist/index.js> <count> <intervalMs>
// Prints {"transmitted","received","avgMs"} as JSON.
import { pathToFileURL } from 'node:url';

const [indexPath, countArg, intervalArg] = process.argv.slice(2);
const { ping } = await import(pathToFileURL(indexPath).href);
const summary = await ping('127.0.0.1', { count: Number(countArg), interval: Number(intervalArg) });
process.stdout.write(`${JSON.stringify({ transmitted: summary.transmitted, received: summary.received, avgMs: summary.rtt?.avg ?? null })}\n`);
// The library closes its socket when the run ends; exit anyway so a lingering handle cannot hold the run.
process.exit(0);
