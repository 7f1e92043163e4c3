// --retries as fping's -r: without -c, one probe and one more after each timeout, up to
// --retries more. --retries 0 is one probe per target (it once fell back to the library's
// count of 4 and took 3 s for two live targets).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runCli } from '../helpers/run-cli.js';
import { cliSkipReason, socketSkipReason } from '../helpers/skip-reasons.js';

const skip = cliSkipReason() ?? socketSkipReason();

/** Each target's summary line of --json: target, probes sent, replies (-q prints nothing without -c, as fping). */
function rows(stdout: string): string[][] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { type: string; target?: string; summary?: { transmitted: number; received: number } })
    .filter((e) => e.type === 'summary')
    .map((e) => [String(e.target), String(e.summary?.transmitted), String(e.summary?.received)]);
}

describe('--retries', { skip: skip ?? false }, () => {
  test('--retries 0 127.0.0.1 127.0.0.2: exactly one probe per target, exit 0', async () => {
    const r = await runCli(['--json', '--retries', '0', '127.0.0.1', '127.0.0.2'], { timeoutMs: 10_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(rows(r.stdout), [
      ['127.0.0.1', '1', '1'],
      ['127.0.0.2', '1', '1'],
    ]);
  });

  test('--retries with one target selects the many-target mode, as fping does', async () => {
    const r = await runCli(['--json', '--retries', '1', '127.0.0.1'], { timeoutMs: 10_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(rows(r.stdout), [['127.0.0.1', '1', '1']]);
  });

  test('--retries with -c is refused with one line and status 2, before any probe', async () => {
    const r = await runCli(['-c', '2', '--retries', '1', '127.0.0.1', '127.0.0.2'], { timeoutMs: 10_000 });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^rawping: --retries applies without -c only[^\n]*\n$/);
  });
});
