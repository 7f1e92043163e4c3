// `rawping -h` lists every option of iputils ping: each letter of ping's getopt string
// (ping/ping.c, release 20221126, and -H of later releases) has a row in the option table that
// names it as its ping peer, and shows in the ping section of the help.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { helpText } from '../../../src/cli/help-text.js';
import { OPTION_TABLE, type OptionRow } from '../../../src/options/option-table.js';

// iputils 20221126: getopt(argc, argv, "h?" "4bRT:" "6F:N:" "aABc:CdDe:fi:I:l:Lm:M:nOp:qQ:rs:S:t:UvVw:W:")
const PING_GETOPT = 'h?4bRT:6F:N:aABc:CdDe:fi:I:l:Lm:M:nOp:qQ:rs:S:t:UvVw:W:';
const LETTERS = [...new Set([...(PING_GETOPT.replace(/[:?]/g, '').match(/./g) ?? []), 'H'])];

test("every letter of ping's getopt string is a row of the ping mode, with ping's flag as its peer", () => {
  const rows = OPTION_TABLE as readonly OptionRow[];
  for (const letter of LETTERS) {
    const row = rows.find((r) => r.short === letter);
    assert.ok(row !== undefined, `-${letter} has a row`);
    assert.equal(row.peers?.ping, `-${letter}`, `-${letter}: its ping peer`);
    assert.ok(row.modes.includes('ping'), `-${letter} applies to one target`);
    // A value in ping is a value here, a flag a flag.
    assert.equal(row.value.kind !== 'flag', PING_GETOPT.includes(`${letter}:`), `-${letter} takes a value exactly when ping's does`);
  }
});

test('rawping -h shows each of them in its ping section', () => {
  const help = helpText();
  const pingSection = help.slice(help.indexOf('Options (as iputils ping'), help.indexOf('Many targets'));
  for (const letter of LETTERS) assert.match(pingSection, new RegExp(`^  -${letter}, --`, 'm'), `-${letter} in rawping -h`);
});
