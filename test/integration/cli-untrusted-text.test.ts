// Names from argv and lines of a --file reach the terminal escaped, format characters included
// (docs/hostile-inputs.md #26; issue 18, item 5: U+202E and the other bidi controls were printed
// as they came, so a name could pass for another). test/wording/escape-text.test.ts checks
// escapeText and safeJson; this checks that every line the CLI prints about such a name goes
// through them, in text and in --json, for one target and for a --file sweep. The runs happen
// in a namespace with nothing but loopback, so the names fail to resolve at once, locally.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { NetnsLab } from '../helpers/netns.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { cliSkipReason, netnsSkipReason } from '../helpers/skip-reasons.js';

// Right-to-left override, left-to-right isolate, zero-width space, BOM, the 8-bit CSI and ESC.
const NAMES = ['evil\u202egnp.example', 'ok\u2066x.example', 'zero\u200bwidth.example', 'b\ufeffom.example', 'c1\u009b2J.example', 'esc\u001b[31m.example'];
/** What must never reach the terminal raw: controls other than the newline, format characters, separators. */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

function assertClean(r: CliResult, shown: string): void {
  for (const line of `${r.stdout}${r.stderr}`.split('\n')) assert.doesNotMatch(line, UNSAFE, `${shown}: ${JSON.stringify(line)}`);
}

describe('untrusted names reach the terminal escaped', { skip: cliSkipReason() ?? netnsSkipReason() ?? false }, () => {
  let lab: NetnsLab;
  let isolated: string;
  let dir: string;
  let file: string;
  before(() => {
    lab = NetnsLab.create();
    isolated = lab.addIsolated();
    dir = mkdtempSync(join(tmpdir(), 'rawping-text-'));
    file = join(dir, 'targets.txt');
    writeFileSync(file, `${NAMES.join('\n')}\n`, { mode: 0o644 });
  });
  after(() => {
    lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  test('one target: the error line names it with its escapes, text and --json', async () => {
    const name = NAMES[0] as string;
    const text = await runCli(['-c', '1', name], { netns: isolated });
    assert.equal(text.status, 2, text.stderr);
    assertClean(text, 'text');
    assert.match(text.stderr, /^rawping: evil\\u202egnp\.example: /m);
    const json = await runCli(['-c', '1', '--json', name], { netns: isolated });
    assertClean(json, 'json');
    assert.match(json.stdout + json.stderr, /evil\\u202egnp\.example/);
  });

  test('a --file sweep: every line of the table and every JSON line is clean, and JSON gives the names back exactly', async () => {
    const text = await runCli(['-c', '1', '--file', file], { netns: isolated });
    assertClean(text, 'text');
    for (const escaped of [
      'evil\\u202egnp.example',
      'ok\\u2066x.example',
      'zero\\u200bwidth.example',
      'b\\ufeffom.example',
      'c1\\x9b2J.example',
      'esc\\x1b[31m.example',
    ]) {
      assert.ok(text.stdout.includes(escaped) || text.stderr.includes(escaped), `${escaped} is shown:\n${text.stdout}${text.stderr}`);
    }
    const json = await runCli(['-c', '1', '--json', '--file', file], { netns: isolated });
    assertClean(json, 'json');
    const targets = json.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { type: string; target?: string })
      .filter((e) => e.type === 'summary')
      .map((e) => e.target);
    assert.deepEqual(targets.sort(), [...NAMES].sort(), 'the JSON escapes parse back to the names as written');
  });
});
