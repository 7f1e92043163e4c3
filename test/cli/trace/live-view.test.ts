// The live table: each frame over the last in one write, the cursor hidden while it runs and
// shown again at the end.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { LiveView } from '../../../src/cli/trace/live-view.js';
import { Output } from '../../../src/cli/output.js';

function terminal(rows?: number): { out: Output; writes: string[] } {
  const writes: string[] = [];
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  stream.write = (chunk: string) => writes.push(chunk) > 0;
  if (rows !== undefined) (stream as { rows?: number }).rows = rows;
  return { out: new Output(stream, stream), writes };
}

describe('LiveView', () => {
  test('hides the cursor, redraws each frame in place in one write, shows the cursor at the end', () => {
    const { out, writes } = terminal(24);
    const view = new LiveView(out);
    view.draw(['a', 'b', 'c']);
    view.draw(['A', 'B']);
    view.close();
    view.close();
    view.draw(['late']);
    assert.deepEqual(writes, ['\x1b[?25l', 'a\x1b[K\nb\x1b[K\nc\x1b[K\n\x1b[J', '\r\x1b[3AA\x1b[K\nB\x1b[K\n\x1b[J', '\x1b[?25h']);
  });

  test('a frame taller than the terminal is cut to fit, saying how much is left out', () => {
    const { out, writes } = terminal(5);
    const view = new LiveView(out);
    view.draw(['1', '2', '3', '4', '5', '6', '7']);
    assert.equal(writes[1], '1\x1b[K\n2\x1b[K\n3\x1b[K\n... 4 more lines\x1b[K\n\x1b[J');
  });
});
