// The library when its native addon cannot be loaded (an install that ran no scripts on a
// machine no prebuilt binary matches): calls reject with AddonError, whose one-line message
// names the files tried and says how to build it. Needs no socket and no network.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runModule } from '../helpers/run-module.js';
import { libraryBuildSkipReason } from '../helpers/skip-reasons.js';

const skip = libraryBuildSkipReason();

describe('library without its addon', { skip: skip ?? false }, () => {
  // The built library in a package of its own that has neither build/ nor prebuilds/.
  const pkg = mkdtempSync(join(tmpdir(), 'rawping-no-addon-'));
  after(() => rmSync(pkg, { recursive: true, force: true }));
  if (skip === null) {
    cpSync(fileURLToPath(new URL('../../dist', import.meta.url)), join(pkg, 'dist'), { recursive: true });
    cpSync(fileURLToPath(new URL('../../package.json', import.meta.url)), join(pkg, 'package.json'));
  }
  const built = join(pkg, 'build', 'Release', 'rawping.node');
  const prebuilt = join(pkg, 'prebuilds', `${process.platform}-${process.arch}`, 'rawping.glibc.node');

  test('ping() and isReachable() reject with AddonError (ERR_RAWPING_ADDON), naming what was tried and how to build it', async () => {
    const result = await runModule(`
      const { ping, isReachable, AddonError } = await import(${JSON.stringify(pathToFileURL(join(pkg, 'dist', 'index.js')).href)});
      const outcome = async (call) => {
        try {
          await call();
          return null;
        } catch (error) {
          return { isAddonError: error instanceof AddonError, code: error.code, path: error.path, tried: error.tried, message: error.message };
        }
      };
      const results = [await outcome(() => ping('127.0.0.1', { count: 1 })), await outcome(() => isReachable('127.0.0.1'))];
      console.log(JSON.stringify({ results }));
    `);
    const results = result.results as ({ isAddonError: boolean; code: string; path: string; tried: string[]; message: string } | null)[];
    assert.equal(results.length, 2);
    for (const r of results) {
      assert.ok(r !== null, 'the call rejected');
      assert.equal(r.isAddonError, true);
      assert.equal(r.code, 'ERR_RAWPING_ADDON');
      assert.equal(r.path, built);
      assert.deepEqual(r.tried, [built, prebuilt]);
      assert.equal(
        r.message,
        `native addon not built (build/Release/rawping.node: not found; prebuilds/${process.platform}-${process.arch}/rawping.glibc.node: not found); ` +
          'build it with `npm rebuild rawping` (needs python3, make and a C++ compiler)',
      );
      assert.doesNotMatch(r.message, /\n/, 'one line');
    }
  });
});
