// The floor under rawping's flood: the smallest Node program over rawping's own addon that
// floods the way rawping does (the addon's receive thread sends one queued echo request per
// reply read, JavaScript keeps 128 to 256 queued), with JavaScript that only counts the
// replies. What rawping's flood costs beyond this is its engine; what this costs beyond
// iputils is Node, the addon's thread and the two threads' hand-over. It prints ping's
// statistics line (its "time" from just before the first send to the batch with the last
// reply), so the flood scenario reads it as it reads ping's and rawping's.
// Usage: node addon-flood.mjs <path to dist/index.js> <count> <address in 127.0.0.0/8>
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [indexPath, countText, address] = process.argv.slice(2);
if (!address?.startsWith('127.')) throw new Error(`refusing ${address}: the benchmark only sends to 127.0.0.0/8`);
const count = Number(countText);
if (!Number.isInteger(count) || count < 1 || count > 1_000_000) throw new Error(`count ${countText}: 1 to 1000000`);
const dist = dirname(indexPath);
const { loadAddon } = await import(pathToFileURL(join(dist, 'os', 'native-binding.js')).href);
const { EchoRequestTemplate } = await import(pathToFileURL(join(dist, 'packet', 'echo-request.js')).href);

// As the engine's reply-clocked sends (src/pinger/session.ts): 256 ahead, topped up below half.
const AHEAD = 256;
const LENGTH = 64;
const identifier = process.pid & 0xffff;
const template = new EchoRequestTemplate({ family: 4, identifier, size: LENGTH - 8, cookie: new Uint8Array(8) });
const chunk = new Uint8Array(AHEAD * LENGTH);

const addon = loadAddon();
const L = addon.batchLayout;
let queued = 0;
let waiting = 0;
let received = 0;
let startNs = 0n;
let socket;
// Bounded: a flood that has not ended in 60 s is reported and stopped.
const guard = setTimeout(() => finish('timed out'), 60_000);

function topUp(kick) {
  const n = Math.min(AHEAD - waiting, count - queued);
  if (n <= 0) return;
  for (let i = 0; i < n; i++) chunk.set(template.withSequence(queued + i), i * LENGTH);
  queued += n;
  waiting += n;
  socket.queueSends(chunk, LENGTH, n, address, 0, 0, kick);
}

function finish(problem) {
  const ms = Number(process.hrtime.bigint() - startNs) / 1e6;
  clearTimeout(guard);
  socket.unqueueSends();
  socket.close();
  const loss = Math.round((100 * (count - received)) / count);
  process.stdout.write(`${count} packets transmitted, ${received} received, ${loss}% packet loss, time ${Math.round(ms)}ms\n`);
  if (problem !== undefined) process.stderr.write(`addon-flood: ${problem}\n`);
  process.exit(problem === undefined ? 0 : 1);
}

socket = new addon.IcmpSocket(
  4,
  'raw',
  (data, meta, n) => {
    for (let i = 0; i < n; i++) {
      const m = i * L.stride;
      const sent = meta[m + L.sentAfter];
      if (sent < 0) return finish(`sendto failed: errno ${-sent}`);
      if (sent !== 0) waiting--;
      if ((meta[m + L.flags] & L.flagSendReport) !== 0) continue;
      // A raw IPv4 socket's datagram starts with the IP header; the echo reply follows it. Read
      // here, not with packet/ipv4-header.ts, whose objects are the kind of per-reply cost the
      // floor leaves out.
      const at = meta[m + L.dataOffset] + (data[meta[m + L.dataOffset]] & 0x0f) * 4;
      if (data[at] === 0 && ((data[at + 4] << 8) | data[at + 5]) === identifier) received++;
    }
    if (received >= count) finish();
    else if (waiting < AHEAD / 2) topUp(0);
  },
  (error) => finish(error.message),
);
socket.setTypeFilter([0]);
socket.start();
socket.ref();
startNs = process.hrtime.bigint();
topUp(1);
