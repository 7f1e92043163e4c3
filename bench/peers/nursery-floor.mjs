// The floor under a sweep's peak RSS: node itself, under the bin's flags, allocating short-lived
// objects for as long as a sweep runs, so that both halves of its 4 MiB young generation are
// touched as a sweep's are. Nothing of rawping is loaded; nothing is sent.
// Usage: node <bin flags> nursery-floor.mjs <milliseconds, 1-10000>
const ms = Number(process.argv[2]);
if (!Number.isInteger(ms) || ms < 1 || ms > 10_000) throw new Error(`milliseconds ${process.argv[2]}: 1 to 10000`);
const end = Date.now() + ms;
let kept = 0;
while (Date.now() < end) {
  // A few hundred bytes per object, each dead by the next round, as a sweep's per-reply objects.
  const round = [];
  for (let i = 0; i < 1000; i++) round.push({ i, text: `127.0.${i >> 8}.${i & 255}`, bytes: new Uint8Array(16) });
  kept += round.length;
}
process.stdout.write(`${JSON.stringify({ objects: kept })}\n`);
