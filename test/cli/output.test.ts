// Where the CLI writes, over fake streams: unbuffered lines go out at once; buffered ones once
// per turn of the event loop or at 64 KiB; stderr flushes stdout first; a reader that goes away
// (EPIPE, EBADF, ECONNRESET) closes the output quietly, once; error messages are escaped.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Output } from '../../src/cli/output.js';

/** What both fake streams wrote, in order, tagged by stream. */
type Log = [stream: 'out' | 'err', text: string][];

/** A stream that records its writes in a shared log and can be told to throw. */
class FakeStream extends EventEmitter {
  isTTY: boolean | undefined = undefined;
  /** Thrown by the next write, when set. */
  failWith: Error | null = null;

  constructor(
    readonly name: 'out' | 'err',
    readonly log: Log,
  ) {
    super();
  }

  write(text: string): boolean {
    if (this.failWith !== null) throw this.failWith;
    this.log.push([this.name, text]);
    return true;
  }

  /** What this stream has written, joined. */
  written(): string {
    return this.log
      .filter(([s]) => s === this.name)
      .map(([, t]) => t)
      .join('');
  }

  /** How many write calls reached it. */
  writes(): number {
    return this.log.filter(([s]) => s === this.name).length;
  }
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`write ${code}`), { code });
}

function setup(): { out: Output; stdout: FakeStream; stderr: FakeStream; log: Log } {
  const log: Log = [];
  const stdout = new FakeStream('out', log);
  const stderr = new FakeStream('err', log);
  // Output only writes to them and listens for 'error': the fakes are those two things.
  const out = new Output(stdout, stderr);
  return { out, stdout, stderr, log };
}

describe('unbuffered (one target)', () => {
  test('out() and line() write at once, line() adding the newline', () => {
    const { out, stdout } = setup();
    out.out('PING ');
    assert.equal(stdout.written(), 'PING ');
    out.line('127.0.0.1');
    assert.equal(stdout.written(), 'PING 127.0.0.1\n');
    assert.equal(stdout.writes(), 2);
  });

  test('err() goes to stderr as given', () => {
    const { out, stderr, stdout } = setup();
    out.err('\r1/1 packets, 0% loss\n');
    assert.equal(stderr.written(), '\r1/1 packets, 0% loss\n');
    assert.equal(stdout.written(), '');
  });
});

describe('buffered (sweeps)', () => {
  test('lines are gathered and written once, on the next turn of the event loop', async () => {
    const { out, stdout } = setup();
    out.buffered = true;
    out.line('a');
    out.line('b');
    out.line('c');
    assert.equal(stdout.writes(), 0, 'nothing written yet');
    await nextTurn();
    assert.equal(stdout.written(), 'a\nb\nc\n');
    assert.equal(stdout.writes(), 1, 'one write for the three lines');
  });

  test('64 KiB gathered are written at once, without waiting for the turn', () => {
    const { out, stdout } = setup();
    out.buffered = true;
    const line = 'x'.repeat(1023);
    for (let i = 0; i < 63; i++) out.line(line);
    assert.equal(stdout.writes(), 0, '63 KiB: still gathered');
    out.line(line);
    assert.equal(stdout.writes(), 1, '64 KiB: written');
    assert.equal(stdout.written().length, 64 * 1024);
  });

  test('flush() writes what is gathered now, and nothing when nothing is', () => {
    const { out, stdout } = setup();
    out.buffered = true;
    out.flush();
    assert.equal(stdout.writes(), 0);
    out.line('one');
    out.flush();
    assert.equal(stdout.written(), 'one\n');
  });

  test('text for stderr flushes stdout first, so the two keep their order on a terminal', () => {
    const { out, log } = setup();
    out.buffered = true;
    out.line('10.0.0.1 is alive');
    out.err('10.0.0.2: Name or service not known\n');
    out.line('10.0.0.3 is alive');
    out.error('last words');
    assert.deepEqual(log, [
      ['out', '10.0.0.1 is alive\n'],
      ['err', '10.0.0.2: Name or service not known\n'],
      ['out', '10.0.0.3 is alive\n'],
      ['err', 'rawping: last words\n'],
    ]);
  });
});

describe('a reader that goes away', () => {
  for (const code of ['EPIPE', 'EBADF', 'ECONNRESET']) {
    test(`${code} on stdout: closed, onClose once, later output dropped`, () => {
      const { out, stdout } = setup();
      let closes = 0;
      out.onClose(() => closes++);
      out.line('first');
      stdout.emit('error', errno(code));
      assert.equal(out.closed, true);
      out.line('dropped');
      stdout.emit('error', errno(code));
      assert.equal(closes, 1);
      assert.equal(stdout.written(), 'first\n');
    });
  }

  test('other stdout errors (EIO, ENOSPC) do not close it: the run goes on, stdout gets nothing more', () => {
    const { out, stdout } = setup();
    let closes = 0;
    out.onClose(() => closes++);
    out.line('before');
    stdout.emit('error', errno('ENOSPC'));
    assert.equal(out.closed, false);
    assert.equal(closes, 0);
    assert.equal(out.writeFailed, true);
    out.line('after');
    assert.equal(stdout.written(), 'before\n');
  });

  test('finish() says "write error" and turns the status into 1 after a failed write, as ping does', async () => {
    const { out, stdout, stderr } = setup();
    stdout.emit('error', errno('ENOSPC'));
    assert.equal(await out.finish(0), 1);
    assert.equal(stderr.written(), 'rawping: write error\n');
  });

  test('finish() keeps the status when every write went out, and writes what was buffered', async () => {
    const { out, stdout, stderr } = setup();
    out.buffered = true;
    out.line('queued');
    assert.equal(await out.finish(2), 2);
    assert.equal(stdout.written(), 'queued\n');
    assert.equal(stderr.written(), '');
  });

  test('finish() sees an error the stream reports a turn after the last write', async () => {
    const { out, stdout } = setup();
    out.line('last');
    process.nextTick(() => stdout.emit('error', errno('EIO')));
    assert.equal(await out.finish(0), 1);
  });

  test('a write that throws closes the output instead of throwing', () => {
    const { out, stdout } = setup();
    let closes = 0;
    out.onClose(() => closes++);
    stdout.failWith = errno('EPIPE');
    assert.doesNotThrow(() => out.line('lost'));
    assert.equal(out.closed, true);
    assert.equal(closes, 1);
  });

  test('lines gathered when the reader went are dropped, not written later', async () => {
    const { out, stdout } = setup();
    out.buffered = true;
    out.line('gathered');
    stdout.emit('error', errno('EPIPE'));
    await nextTurn();
    out.flush();
    assert.equal(stdout.writes(), 0);
  });

  test('stderr errors and throwing stderr writes are swallowed (there is nowhere left to report them)', () => {
    const { out, stderr } = setup();
    assert.doesNotThrow(() => stderr.emit('error', errno('EPIPE')), 'an error event with a listener does not throw');
    stderr.failWith = errno('EPIPE');
    assert.doesNotThrow(() => out.error('gone'));
    assert.equal(out.closed, false, 'stdout is still open');
  });
});

describe('error messages', () => {
  test('rawping: <message>, with control characters escaped and backslashes kept', () => {
    const { out, stderr } = setup();
    out.error("invalid -c '\x1b[2J\x1b]0;pwned\x07': expected an integer");
    out.error('already escaped: \\x1b stays as it is');
    assert.equal(stderr.written(), "rawping: invalid -c '\\x1b[2J\\x1b]0;pwned\\x07': expected an integer\nrawping: already escaped: \\x1b stays as it is\n");
  });

  test('one line whatever the message holds: newlines and C1 controls are escaped', () => {
    const { out, stderr } = setup();
    out.error('a\nb\r\x9b31m');
    assert.equal(stderr.written(), 'rawping: a\\x0ab\\x0d\\x9b31m\n');
  });

  test('a message is cut to 4096 characters', () => {
    const { out, stderr } = setup();
    out.error('m'.repeat(5000));
    assert.equal(stderr.written(), `rawping: ${'m'.repeat(4096)}...\n`);
  });
});

test('stderrIsTty follows the stream', () => {
  const { out, stderr } = setup();
  assert.equal(out.stderrIsTty, false);
  stderr.isTTY = true;
  assert.equal(out.stderrIsTty, true);
});
