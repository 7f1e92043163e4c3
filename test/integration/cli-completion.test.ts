// Shell completion: `rawping completion bash|zsh` prints yargs' script, and the script's
// callback answers with the option table's flags, a choice's values and the subcommands. The
// bash script is sourced in a real bash and driven as bash drives it at a Tab.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { OPTION_TABLE, type OptionRow } from '../../src/options/option-table.js';
import { CLI_PATH, runCli } from '../helpers/run-cli.js';
import { cliSkipReason, commandSkipReason, sanitizerEnv } from '../helpers/skip-reasons.js';

const skip = cliSkipReason();
const CLI_ROWS = (OPTION_TABLE as readonly OptionRow[]).filter((row) => row.modes.includes('ping') || row.modes.includes('sweep'));

/** COMPREPLY after bash's completion function runs on `words` (the cursor on the last one). */
function bashComplete(words: string[]): string[] {
  const script = spawnSync(process.execPath, [CLI_PATH, 'completion', 'bash'], { encoding: 'utf8', timeout: 15_000 }).stdout;
  // The script calls `rawping` from PATH; here it is the built CLI.
  const sourced = script.replace('$(rawping --get-yargs-completions', `$("${process.execPath}" "${CLI_PATH}" --get-yargs-completions`);
  const words_ = words.map((w) => `'${w}'`).join(' ');
  const program = `${sourced}\nCOMP_WORDS=(${words_}); COMP_CWORD=${words.length - 1}; _rawping_yargs_completions; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['-c', program], { encoding: 'utf8', timeout: 15_000, env: { PATH: process.env.PATH, LC_ALL: 'C', ...sanitizerEnv() } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

describe('rawping completion', { skip: skip ?? false }, () => {
  test('bash: the script registers a completion for rawping', async () => {
    const r = await runCli(['completion', 'bash']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^complete -o bashdefault -o default -F _rawping_yargs_completions rawping$/m);
    assert.match(r.stdout, /rawping completion bash >> ~\/\.bashrc/);
  });

  test('zsh: a compdef script, and answers with descriptions when the zsh script asks', async () => {
    const r = await runCli(['completion', 'zsh']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^#compdef rawping$/m);
    assert.match(r.stdout, /^compdef _rawping_yargs_completions rawping$/m);
    const answer = await runCli(['--get-yargs-completions', 'rawping', '--co'], { env: { COMP_CWORD: '1' } });
    assert.equal(answer.status, 0, answer.stderr);
    assert.ok(answer.stdout.split('\n').includes(`--count:${CLI_ROWS.find((row) => row.key === 'count')?.help ?? ''}`), answer.stdout);
  });

  test('an unknown shell: one line, status 2', async () => {
    const r = await runCli(['completion', 'fish']);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, "rawping: completion: no script for 'fish' (bash or zsh)\n");
  });

  const bash = commandSkipReason('bash');
  test('bash at a Tab: every long option after --, a choice after --mode, the subcommands at the first word', { skip: bash ?? false }, () => {
    const longs = bashComplete(['rawping', '--']);
    for (const row of CLI_ROWS) if (row.long !== undefined) assert.ok(longs.includes(`--${row.long}`), `--${row.long}`);
    assert.deepEqual(
      longs.filter((w) => /^--.$/.test(w)),
      [],
      'no short flag spelled with two dashes',
    );
    const shorts = bashComplete(['rawping', '-']);
    for (const row of CLI_ROWS) if (row.short !== undefined && !/[0-9]/.test(row.short)) assert.ok(shorts.includes(`-${row.short}`), `-${row.short}`);
    assert.deepEqual(bashComplete(['rawping', '--mo']), ['--mode']);
    assert.deepEqual(bashComplete(['rawping', '--mode', '']), ['auto', 'raw', 'dgram']);
    assert.deepEqual(bashComplete(['rawping', 'comp']), ['completion']);
  });
});
