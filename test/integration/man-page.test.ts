// The built man page (dist/man/rawping.1, package.json's `man`) as `man -l` shows it: rendered
// without a warning, with every option of the command line, the exit statuses and the privilege
// section.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { EXIT_STATUSES } from '../../src/options/exit-status.js';
import { OPTION_TABLE, type OptionRow } from '../../src/options/option-table.js';
import { commandSkipReason } from '../helpers/skip-reasons.js';

const PAGE = fileURLToPath(new URL('../../dist/man/rawping.1', import.meta.url));
const skip = (existsSync(PAGE) ? null : `${PAGE} is missing: run npm run build first`) ?? commandSkipReason('man', ['--version'], 'man (man-db)');

describe('man -l dist/man/rawping.1', { skip: skip ?? false }, () => {
  test('package.json installs it', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { man?: string[] };
    assert.deepEqual(pkg.man, ['./dist/man/rawping.1']);
  });

  test('renders without warnings, with every option, the exit statuses and the privileges', () => {
    const r = spawnSync('man', ['--warnings', '-l', '-P', 'cat', PAGE], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, LC_ALL: 'C', MANWIDTH: '100' },
      timeout: 20_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '', 'no warnings from groff');
    const text = r.stdout.replace(/.\x08/g, ''); // no overstrike, whatever the pager settings
    assert.match(text, /^NAME\n {7}rawping - ICMP ping/m);
    for (const row of (OPTION_TABLE as readonly OptionRow[]).filter((x) => x.modes.length > 0)) {
      const flags = [row.short !== undefined ? `-${row.short}` : null, row.long !== undefined ? `--${row.long}` : null].filter((f) => f !== null).join(', ');
      assert.match(text, new RegExp(`^ {7}${flags.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`, 'm'), flags);
    }
    assert.match(text, /^EXIT STATUS$/m);
    for (const r2 of EXIT_STATUSES) assert.match(text, new RegExp(`^ {7}${r2.status} {6}One target: `, 'm'));
    assert.match(text, /^PRIVILEGES$/m);
    assert.match(text, /ping_group_range/);
  });
});
