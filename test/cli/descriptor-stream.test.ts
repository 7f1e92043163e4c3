// DescriptorStream, the CLI's stdout and stderr, on real descriptors: a child process writes
// through it, so the descriptor is a real pipe, file or device. Text longer than a pipe holds
// arrives whole and in order (write(2) returns short counts then); a failed write is an
// 'error' event with the errno, never a throw; isTTY is undefined off a terminal.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const STREAM = fileURLToPath(new URL('../../src/cli/descriptor-stream.ts', import.meta.url));

/** Runs `body` in a child with DescriptorStream imported as `DescriptorStream`; stdout as `stdout` gives it. */
function child(body: string, stdout: 'pipe' | number): Promise<{ status: number | null; out: string; err: string }> {
  const script = `import { DescriptorStream } from ${JSON.stringify(STREAM)};\n${body}`;
  const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', stdout, 'pipe'] });
  let out = '';
  let err = '';
  p.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  p.stderr?.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve) => p.on('close', (status) => resolve({ status, out, err })));
}

describe('DescriptorStream', () => {
  test('1 MB through a pipe arrives whole and in order, and isTTY is undefined on a pipe', async () => {
    const r = await child(
      `const s = new DescriptorStream(1);
       let n = 0; for (let i = 0; i < 16; i++) { s.write(String(i % 10).repeat(65536)); n++; }
       process.stderr.write(JSON.stringify({ tty: s.isTTY ?? null, n }));`,
      'pipe',
    );
    assert.equal(r.status, 0, r.err);
    assert.deepEqual(JSON.parse(r.err), { tty: null, n: 16 });
    assert.equal(r.out.length, 16 * 65536);
    for (let i = 0; i < 16; i++) assert.equal(r.out.slice(i * 65536, (i + 1) * 65536), String(i % 10).repeat(65536), `chunk ${i}`);
  });

  test('a failed write (ENOSPC on /dev/full) is an error event, and write returns false instead of throwing', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const r = await child(
        `const s = new DescriptorStream(1);
         const codes = []; s.on('error', (e) => codes.push(e.code));
         const returned = s.write('a line\\n');
         process.stderr.write(JSON.stringify({ codes, returned }));`,
        full,
      );
      assert.equal(r.status, 0, r.err);
      assert.deepEqual(JSON.parse(r.err), { codes: ['ENOSPC'], returned: false });
    } finally {
      closeSync(full);
    }
  });
});
