// --file: fping's line format, and the bounds that hold whatever the file is (docs/hostile-inputs.md
// #32): a device is refused before anything is read, a regular file over 64 MiB by its size, a
// pipe at 64 MiB, a line at 64 KiB; nothing is read before it is asked for.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { MAX_FILE_BYTES, MAX_LINE_BYTES, openTargetFile, targetOfLine } from '../../../src/cli/sweep/target-file.js';
import { UsageError } from '../../../src/cli/usage-error.js';

async function all(targets: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const t of targets) out.push(t);
  return out;
}

describe("a line's target, as fping reads it", () => {
  test('the first word; blank lines, whole-line and trailing # comments give none or are cut off', () => {
    assert.deepEqual(
      ['127.0.0.1', '  127.0.0.2  ', '127.0.0.3 # the third', '127.0.0.4\textra words', '::1\r', '', '   ', '# comment', '\t# comment', 'host#tail', '#'].map(
        targetOfLine,
      ),
      ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4', '::1', null, null, null, null, 'host', null],
    );
  });

  test('words end at ASCII white space only: a BOM or a Unicode space inside a name stays in it (to be escaped, not cut)', () => {
    assert.deepEqual(['b\ufeffom.example', 'a\u00a0b', 'x\u2003y z'].map(targetOfLine), ['b\ufeffom.example', 'a\u00a0b', 'x\u2003y']);
  });
});

describe('openTargetFile', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'rawping-file-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a regular file is read line by line, a last line without a newline included', async () => {
    const path = join(dir, 'a.txt');
    writeFileSync(path, '# hosts\n127.0.0.1\n\n127.0.0.2 # two\n::1');
    assert.deepEqual(await all((await openTargetFile(path)).targets()), ['127.0.0.1', '127.0.0.2', '::1']);
  });

  test('lines that cross the 64 KiB reads come out whole', async () => {
    const path = join(dir, 'long.txt');
    const lines = Array.from({ length: 30_000 }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    writeFileSync(path, `${lines.join('\n')}\n`);
    assert.deepEqual(await all((await openTargetFile(path)).targets()), lines);
  });

  test('a device is refused before anything is read: /dev/zero would never end, /dev/null is no file of targets', async () => {
    for (const device of ['/dev/zero', '/dev/null']) {
      await assert.rejects(
        openTargetFile(device),
        (e: unknown) => e instanceof UsageError && e.message === `--file ${device}: not a regular file (a device or socket has no end to read to)`,
      );
    }
  });

  test('a directory and a missing file: strerror', async () => {
    await assert.rejects(openTargetFile(dir), (e: unknown) => e instanceof UsageError && e.message === `--file ${dir}: Is a directory`);
    await assert.rejects(openTargetFile(join(dir, 'nope')), (e: unknown) => e instanceof UsageError && /: No such file or directory$/.test(e.message));
  });

  test('a regular file over 64 MiB is refused by its size, before it is read', async () => {
    const path = join(dir, 'big.txt');
    writeFileSync(path, '');
    await truncate(path, MAX_FILE_BYTES + 1);
    await assert.rejects(openTargetFile(path), (e: unknown) => e instanceof UsageError && e.message === `--file ${path}: more than ${MAX_FILE_BYTES} bytes`);
    await truncate(path, MAX_FILE_BYTES);
    // Exactly the cap is allowed. Read to the end so the file is closed here, not by the GC:
    // its zeros are one line with no newline, refused at 64 KiB.
    const atCap = await openTargetFile(path);
    await assert.rejects(all(atCap.targets()), (e: unknown) => e instanceof UsageError && /a line longer than/.test(e.message));
  });

  test('a line longer than 64 KiB ends the reading with one error; the lines before it were given out', async () => {
    const path = join(dir, 'line.txt');
    writeFileSync(path, `127.0.0.1\n${'x'.repeat(MAX_LINE_BYTES + 1)}\n127.0.0.2\n`);
    const got: string[] = [];
    await assert.rejects(
      (async () => {
        for await (const t of (await openTargetFile(path)).targets()) got.push(t);
      })(),
      (e: unknown) => e instanceof UsageError && e.message === `--file ${path}: a line longer than ${MAX_LINE_BYTES} bytes`,
    );
    assert.deepEqual(got, ['127.0.0.1']);
  });

  test('stdin (-) that never ends is cut at 64 MiB, and a line without end at 64 KiB, holding no more than a line', async () => {
    const endless = new PassThrough();
    const chunk = Buffer.from('# a comment line, no target\n'.repeat(4096));
    let written = 0;
    const pump = (): void => {
      while (written <= MAX_FILE_BYTES + chunk.length && endless.write(chunk)) written += chunk.length;
      if (written <= MAX_FILE_BYTES + chunk.length) endless.once('drain', pump);
    };
    pump();
    await assert.rejects(
      all((await openTargetFile('-', endless)).targets()),
      (e: unknown) => e instanceof UsageError && e.message === `--file -: more than ${MAX_FILE_BYTES} bytes`,
    );
    endless.destroy();

    const noNewline = new PassThrough();
    noNewline.write(Buffer.alloc(MAX_LINE_BYTES + 10, 0x61));
    await assert.rejects(
      all((await openTargetFile('-', noNewline)).targets()),
      (e: unknown) => e instanceof UsageError && /a line longer than/.test(e.message),
    );
    noNewline.destroy();
  });

  test('a FIFO is read as it is written, and the reading can stop after any line', async () => {
    const fifo = join(dir, 'fifo');
    const mk = spawn('mkfifo', [fifo]);
    await new Promise((resolve) => mk.on('close', resolve));
    // The writer blocks until the FIFO is opened for reading, then writes three lines.
    const writer = spawn('sh', ['-c', `printf '127.0.0.1\\n127.0.0.2\\n127.0.0.3\\n' > '${fifo}'`]);
    const written = new Promise((resolve) => writer.on('close', resolve));
    const file = await openTargetFile(fifo);
    const it = file.targets();
    assert.deepEqual((await it.next()).value, '127.0.0.1');
    await it.return(undefined);
    await written;
  });
});
