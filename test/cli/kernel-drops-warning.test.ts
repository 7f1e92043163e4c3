// The CLI's warning when the kernel discarded datagrams at a full receive queue during a run:
// one line on stderr at the end, in text and JSON output alike, and the 'drops' event as an
// NDJSON line with --json. Over the fake network, whose socket reports the kernel's counter.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { Output } from '../../src/cli/output.js';
import { parseArgs } from '../../src/cli/parse-args.js';
import { runPing } from '../../src/cli/ping/run-ping.js';
import { SignalHub } from '../../src/cli/signal-hub.js';
import { runSweep } from '../../src/cli/sweep/run-sweep.js';
import { drive } from '../helpers/drive.js';
import { Harness, target } from '../helpers/pinger-harness.js';

const HOST = '198.18.0.1';

class FakeStream extends EventEmitter {
  text = '';
  isTTY = false;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

function streams(): { out: Output; stdout: FakeStream; stderr: FakeStream } {
  const stdout = new FakeStream();
  const stderr = new FakeStream();
  return { out: new Output(stdout, stderr), stdout, stderr };
}

/** A harness whose IPv4 socket says the kernel dropped `drops` datagrams once the run is under way. */
function droppingHarness(drops: number): { h: Harness; sockets: ReturnType<Harness['sockets']> } {
  const h = new Harness();
  h.network.answer(HOST, 1);
  h.network.answer('198.18.0.2', 1);
  const sockets = h.sockets({ mode: 'auto' }, [4]);
  const socket = h.network.sockets[0] as { drops: number };
  h.clock.setTimer(() => (socket.drops = drops), 1.5);
  return { h, sockets };
}

const hub = (): SignalHub => new SignalHub(new EventEmitter() as unknown as NodeJS.Process);

describe('the kernel drops warning', () => {
  test('ping: one line on stderr after the statistics', async () => {
    const { h, sockets } = droppingHarness(3);
    const { out, stdout, stderr } = streams();
    const options = parseArgs(['-c', '2', '-i', '0.01', HOST]);
    const status = await drive(h, runPing({ options, resolved: target(HOST), sockets, socketKind: 'raw', source: '' }, out, hub()));
    assert.equal(status, 0);
    assert.match(stdout.text, /2 packets transmitted, 2 received/);
    assert.equal(
      stderr.text,
      "rawping: warning: the kernel dropped 3 datagrams at a full receive queue (its own count, an upper bound): some of the loss reported may be this machine's, not the network's\n",
    );
  });

  test('ping --json: a drops line on stdout, and the same warning on stderr', async () => {
    const { h, sockets } = droppingHarness(1);
    const { out, stdout, stderr } = streams();
    const options = parseArgs(['--json', '-c', '2', '-i', '0.01', HOST]);
    await drive(h, runPing({ options, resolved: target(HOST), sockets, socketKind: 'raw', source: '' }, out, hub()));
    const drops = stdout.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((j) => j.type === 'drops');
    assert.equal(drops.length, 1);
    assert.deepEqual({ family: drops[0]?.family, dropped: drops[0]?.dropped, total: drops[0]?.total }, { family: 4, dropped: 1, total: 1 });
    assert.match(stderr.text, /^rawping: warning: the kernel dropped 1 datagram at a full receive queue/);
  });

  test('a sweep: the same line at the end', async () => {
    const { h, sockets } = droppingHarness(5);
    const { out, stderr } = streams();
    const options = parseArgs(['-c', '2', '-i', '0.01', HOST, '198.18.0.2']);
    await drive(h, runSweep(options, sockets, out, hub()));
    assert.match(stderr.text, /^rawping: warning: the kernel dropped 5 datagrams at a full receive queue/m);
  });

  test('no drops, no line', async () => {
    const { h, sockets } = droppingHarness(0);
    const { out, stderr } = streams();
    await drive(h, runPing({ options: parseArgs(['-c', '1', HOST]), resolved: target(HOST), sockets, socketKind: 'raw', source: '' }, out, hub()));
    assert.equal(stderr.text, '');
  });
});
