// The library when its native addon cannot be loaded (an install that ran no scripts): calls
// reject with AddonError, whose message says how to build it. Needs no socket and no network.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runModule } from '../helpers/run-module.js';
import { libraryBuildSkipReason } from '../helpers/skip-reasons.js';

// The built library, as a program that installed rawping imports it.
const DIST = new URL('../../dist/index.js', import.meta.url);
const skip = libraryBuildSkipReason();

describe('library without its addon', { skip: skip ?? false }, () => {
  test('ping() and isReachable() reject with AddonError (ERR_RAWPING_ADDON), saying how to build it', async () => {
    const result = await runModule(`
      process.env.RAWPING_ADDON = '/nonexistent/rawping.node';
      const { ping, isReachable, AddonError } = await import(${JSON.stringify(DIST.href)});
      const outcome = async (call) => {
        try {
          await call();
          return null;
        } catch (error) {
          return { isAddonError: error instanceof AddonError, code: error.code, path: error.path, message: error.message };
        }
      };
      const results = [await outcome(() => ping('127.0.0.1', { count: 1 })), await outcome(() => isReachable('127.0.0.1'))];
      console.log(JSON.stringify({ results }));
    `);
    const results = result.results as ({ isAddonError: boolean; code: string; path: string; message: string } | null)[];
    assert.equal(results.length, 2);
    for (const r of results) {
      assert.ok(r !== null, 'the call rejected');
      assert.equal(r.isAddonError, true);
      assert.equal(r.code, 'ERR_RAWPING_ADDON');
      assert.equal(r.path, '/nonexistent/rawping.node');
      assert.match(r.message, /^native addon not built \(Cannot find module '\/nonexistent\/rawping\.node'\); build it with `npm rebuild rawping`/);
      assert.doesNotMatch(r.message, /\n/, 'one line');
    }
  });
});
