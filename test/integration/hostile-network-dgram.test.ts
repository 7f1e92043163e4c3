// docs/hostile-inputs.md #10 and #18 on datagram sockets, the unprivileged path: the CLI runs as
// nobody with no capability in a client namespace whose ping_group_range admits everyone, and
// the scripted responder (test/helpers/responder.py) on a test host answers each probe with a
// 60000-byte reply, far more than the receive slot holds. The reply is counted, flagged
// truncated, and shown with its real size, as raw mode shows it (issue 18, item 4: datagram
// mode said 4096, the slot's size, because a datagram socket's receive returns what it
// copied, not the datagram's length).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NetnsLab, nsPrefix, nsSysctl, type TestHost } from '../helpers/netns.js';
import { addonEnvironment, cliCommand, CLI_PATH, runCli, startCommand, statisticsCounts, type CliResult } from '../helpers/run-cli.js';
import { cliSkipReason, commandSkipReason, netnsSkipReason } from '../helpers/skip-reasons.js';

const RESPONDER = fileURLToPath(new URL('../helpers/responder.py', import.meta.url));
/** Nobody with no capability at all: datagram sockets are all it may open. */
const NO_CAPS = ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all'];

/** Null when nobody can run the built CLI through setpriv, else why not. */
function nobodySkipReason(): string | null {
  const missing = commandSkipReason('setpriv', ['--version'], 'setpriv (util-linux)');
  if (missing !== null) return missing;
  const [file, ...args] = cliCommand(['-V'], { setpriv: NO_CAPS }) as [string, ...string[]];
  const v = spawnSync(file, args, {
    encoding: 'utf8',
    timeout: 10_000,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C', ...addonEnvironment() },
  });
  return v.status === 0 ? null : `uid 65534 cannot run ${CLI_PATH}: ${(v.stderr || v.error?.message || '').trim().slice(0, 160)}`;
}

const skip = netnsSkipReason() ?? cliSkipReason() ?? commandSkipReason('python3') ?? nobodySkipReason();

let lab: NetnsLab;
let host: TestHost;

/** Runs the CLI (as nobody, or as root with `raw`) in the client namespace while the responder plays `scenario`. */
async function ping(family: 4 | 6, scenario: string, args: string[], asRoot = false): Promise<CliResult> {
  const address = family === 4 ? host.ip4 : host.ip6;
  const responder = startCommand(
    [...nsPrefix(host.ns), 'python3', RESPONDER, '--family', String(family), '--address', address, '--max-seconds', '30', '--scenario', scenario],
    { timeoutMs: 35_000 },
  );
  await responder.waitFor(/ready/);
  try {
    const r = await runCli([...args, address], { netns: lab.client, timeoutMs: 20_000, ...(asRoot ? {} : { setpriv: NO_CAPS }) });
    assert.doesNotMatch(r.stderr, /\n\s+at |Error:|TypeError|RangeError/, 'no stack trace');
    return r;
  } finally {
    responder.child.kill('SIGTERM');
    const { stderr } = await responder.result;
    assert.doesNotMatch(stderr, /Traceback/, `the responder itself failed:\n${stderr}`);
  }
}

function lines(r: CliResult, pattern: RegExp): string[] {
  return r.stdout.split('\n').filter((l) => pattern.test(l));
}

describe('hostile network, datagram sockets as nobody', { skip: skip ?? false }, () => {
  before(() => {
    lab = NetnsLab.create();
    host = lab.addHost({ echo: false });
    nsSysctl(lab.client, 'net.ipv4.ping_group_range=0 2147483647');
  });
  after(() => lab?.destroy());

  const C3 = ['-c', '3', '-i', '0.2', '-W', '1'];

  for (const family of [4, 6] as const) {
    test(`18. IPv${family}: a 60000-byte reply is counted, flagged truncated and shown with its real size, as in raw mode`, async () => {
      const dgram = await ping(family, 'big', ['--mode', 'dgram', '-v', ...C3]);
      assert.equal(dgram.status, 0, dgram.stdout + dgram.stderr);
      assert.match(dgram.stderr, new RegExp(`IPv${family} socket: dgram`), 'the datagram socket, not raw');
      assert.match(statisticsCounts(dgram), /^3 packets transmitted, 3 received, 0% packet loss/);
      assert.equal(lines(dgram, /^60000 bytes from .* \(truncated\)$/).length, 3, dgram.stdout);
      // Raw mode, for the same replies, says the same.
      const raw = await ping(family, 'big', ['--mode', 'raw', ...C3], true);
      assert.equal(raw.status, 0, raw.stdout + raw.stderr);
      assert.equal(lines(raw, /^60000 bytes from .* \(truncated\)$/).length, 3, raw.stdout);
    });
  }
});
