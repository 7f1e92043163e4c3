// The bin (dist/cli/main.cjs, from scripts/cli-launcher.cjs) runs the CLI bundle from a V8
// code cache made at build time. The cache is only worth anything if V8 takes it under the
// flags the bin runs with, and the CLI must not depend on it: a missing cache or one V8
// refuses means a slower start, never a failed one.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launcherFlags } from '../../scripts/launcher-flags.mjs';
import { CLI_PATH, startCommand } from '../helpers/run-cli.js';
import { cliSkipReason } from '../helpers/skip-reasons.js';

const skip = cliSkipReason() ?? false;
const cliDir = dirname(CLI_PATH);
const ADDON = fileURLToPath(new URL('../../build/Release/rawping.node', import.meta.url));

function launcher(): { flags: string[]; cacheName: string } {
  const text = readFileSync(CLI_PATH, 'utf8');
  const flags = launcherFlags(text);
  const cacheName = /'(main\.[0-9a-f]+\.cache)'/.exec(text)?.[1];
  assert.ok(cacheName !== undefined, 'the launcher names its cache file');
  return { flags, cacheName };
}

describe('the rawping bin and its code cache', { skip }, () => {
  const work = mkdtempSync(join(tmpdir(), 'rawping-launcher-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  test("V8 takes the cache under the bin's node flags", async () => {
    const { flags, cacheName } = launcher();
    const check = `
      const { readFileSync } = require('node:fs');
      const { Script } = require('node:vm');
      const [bundle, cache] = process.argv.slice(1);
      const script = new Script(readFileSync(bundle, 'utf8'), { filename: bundle, cachedData: readFileSync(cache) });
      process.stdout.write(String(script.cachedDataRejected));
    `;
    const r = await startCommand([process.execPath, ...flags, '-e', check, join(cliDir, 'main.bundle.js'), join(cliDir, cacheName)]).result;
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'false');
  });

  for (const [name, cache] of [
    ['without its cache file', null],
    ['with a cache file V8 refuses', Buffer.from('not a code cache')],
  ] as const) {
    test(`the bin still runs ${name}`, async () => {
      // The package's layout (-V reads ../../package.json) with the addon, without the cache.
      const root = mkdtempSync(join(work, 'package-'));
      const dir = join(root, 'dist', 'cli');
      mkdirSync(dir, { recursive: true });
      copyFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), join(root, 'package.json'));
      copyFileSync(CLI_PATH, join(dir, 'main.cjs'));
      mkdirSync(join(root, 'build', 'Release'), { recursive: true });
      copyFileSync(ADDON, join(root, 'build', 'Release', 'rawping.node'));
      copyFileSync(join(cliDir, 'main.bundle.js'), join(dir, 'main.bundle.js'));
      if (cache !== null) writeFileSync(join(dir, launcher().cacheName), cache);
      const r = await startCommand([process.execPath, join(dir, 'main.cjs'), '-V']).result;
      assert.equal(r.stderr, '');
      assert.equal(r.status, 0);
      assert.match(r.stdout, /^rawping \d+\.\d+\.\d+/);
    });
  }
});
