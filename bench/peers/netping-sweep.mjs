// net-ping sweep of a loopback CIDR, one probe per host, as the sweep scenario's npm peer.
// A bounded window of requests in flight: net-ping's raw-socket sends one packet per poll
// event, so firing all 65534 at once is slower and was seen (rarely) to exit without finishing.
// Usage: node netping-sweep.mjs <net-ping entry path> <cidr> [window]
// Prints {"total","alive","failed","wallMs"} as JSON; exit 0 when every host answered.
import { createRequire } from 'node:module';
import { hosts } from '../lib/cidr.mjs';

const [netPingPath, cidr, windowArg = '100'] = process.argv.slice(2);
const netPing = createRequire(import.meta.url)(netPingPath);
const targets = hosts(cidr); // throws unless inside 127.0.0.0/8
const window = Math.min(Number(windowArg), targets.length, 60000);

// packetSize is the whole ICMP message: 64 bytes, what fping and rawping send (8 + 56).
const session = netPing.createSession({ retries: 0, timeout: 2000, packetSize: 64 });
session.on('error', (error) => {
  process.stderr.write(`net-ping session error: ${error.message}\n`);
  process.exit(2);
});

let next = 0;
let done = 0;
let alive = 0;
let failed = 0;
const t0 = process.hrtime.bigint();

function launch() {
  const target = targets[next++];
  session.pingHost(target, (error) => {
    done++;
    if (error) failed++;
    else alive++;
    if (next < targets.length) launch();
    else if (done === targets.length) finish();
  });
}

function finish() {
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  session.close();
  process.stdout.write(`${JSON.stringify({ total: targets.length, alive, failed, wallMs })}\n`);
  process.exitCode = alive === targets.length ? 0 : 1;
}

// A run that stops early must not look like a success.
process.on('exit', () => {
  if (done !== targets.length) {
    process.stderr.write(`net-ping sweep ended early: ${done}/${targets.length} done\n`);
    process.exitCode = 3;
  }
});

for (let i = 0; i < window; i++) launch();
