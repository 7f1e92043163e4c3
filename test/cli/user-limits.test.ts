// ping's limits for users without privilege (not root, no CAP_NET_RAW): no flood, an interval of
// at least 2 ms, a preload of at most 3, with ping's own messages. Privileged runs have none.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CliOptions } from '../../src/cli/parse-args.js';
import { checkUserLimits, USER_MAX_PRELOAD, USER_MIN_INTERVAL_MS } from '../../src/cli/user-limits.js';

// iputils 20221126 says "cannot flood; minimal interval allowed for user is 2ms"; this is the
// wording of current upstream ping, which rawping follows where the two differ.
const FLOOD = 'cannot flood, minimal interval for user must be >= 2 ms, use -i 0.002 (or higher)';

/** The limits of a run with only the options checkUserLimits reads. */
function limits(options: Pick<CliOptions, 'preload' | 'intervalMs' | 'flood'>, privileged = false): string | null {
  return checkUserLimits(options as CliOptions, privileged);
}

test("ping's figures: 2 ms and 3", () => {
  assert.equal(USER_MIN_INTERVAL_MS, 2);
  assert.equal(USER_MAX_PRELOAD, 3);
});

test('an ordinary run is within the limits', () => {
  assert.equal(limits({ flood: false }), null);
  assert.equal(limits({ flood: false, intervalMs: 1000, preload: 1 }), null);
});

test("preload: 3 is allowed, 4 is refused with the value in ping's words", () => {
  assert.equal(limits({ flood: false, preload: 3 }), null);
  // Checked against iputils 20221126 run as nobody: "ping: cannot set preload to value greater than 3: 4".
  assert.equal(limits({ flood: false, preload: 4 }), 'cannot set preload to value greater than 3: 4');
  assert.equal(limits({ flood: false, preload: 65536 }), 'cannot set preload to value greater than 3: 65536');
});

test('interval: 2 ms is allowed; 1 ms and 0 are refused', () => {
  assert.equal(limits({ flood: false, intervalMs: 2 }), null);
  assert.equal(limits({ flood: false, intervalMs: 1 }), FLOOD);
  assert.equal(limits({ flood: false, intervalMs: 0 }), FLOOD);
});

test('flood without -i is interval 0 and refused; flood with -i 2 or more is allowed (as ping allows -f -i 0.2)', () => {
  assert.equal(limits({ flood: true }), FLOOD);
  assert.equal(limits({ flood: true, intervalMs: 1 }), FLOOD);
  assert.equal(limits({ flood: true, intervalMs: 2 }), null);
  assert.equal(limits({ flood: true, intervalMs: 200 }), null);
});

test('the first limit broken is the one reported: preload before interval', () => {
  assert.equal(limits({ flood: true, preload: 4 }), 'cannot set preload to value greater than 3: 4');
});

test('privileged runs have no limits', () => {
  assert.equal(limits({ flood: true, preload: 65536 }, true), null);
  assert.equal(limits({ flood: false, intervalMs: 0 }, true), null);
});
