// The description of the sockets handed across the CLI's re-exec (src/cli/socket-handover.ts)
// is untrusted text: anyone can set RAWPING_INHERITED_SOCKETS. Whatever it holds, parsing gives
// either a handover rawping itself could have written or a UsageError (one line, status 2,
// naming the variable), never a TypeError that would print "internal error", nor a message
// with "undefined" in it (issue 18, item 8). test/integration/cli-privileges.test.ts runs a few
// of these through the real CLI; this file tries them all, and random ones.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { handoverText, INHERITED_SOCKETS_ENV, parseHandover, type Handover } from '../../src/cli/socket-handover.js';
import { UsageError } from '../../src/cli/usage-error.js';

/** Parses, and says what came out: a handover, or the UsageError's message. Anything else thrown fails the test. */
function outcome(text: string): Handover | string {
  try {
    return parseHandover(text);
  } catch (error) {
    assert.ok(error instanceof UsageError, `${JSON.stringify(text)} threw ${String(error)}`);
    return error.message;
  }
}

/** A handover rawping could have written: identifier in range, one or two sockets of distinct families, real descriptor numbers. */
function assertWellFormed(h: Handover, text: string): void {
  assert.ok(Number.isInteger(h.identifier) && h.identifier >= 1 && h.identifier <= 0xffff, text);
  assert.ok(h.sockets.length >= 1 && h.sockets.length <= 2, text);
  assert.equal(new Set(h.sockets.map((s) => s.family)).size, h.sockets.length, text);
  for (const s of h.sockets) {
    assert.ok(s.family === 4 || s.family === 6, text);
    assert.ok(s.kind === 'raw' || s.kind === 'dgram', text);
    assert.ok(Number.isInteger(s.fd) && s.fd >= 3 && s.fd <= 65535, text);
    assert.deepEqual(Object.keys(s).sort(), ['family', 'fd', 'kind'], 'nothing else is carried over');
  }
}

function assertRefusal(message: string, text: string): void {
  assert.match(message, new RegExp(`^${INHERITED_SOCKETS_ENV} is not a socket handover \\([^\\n]+\\); unset it$`), text);
  assert.doesNotMatch(message, /undefined|null|NaN|\[object/, text);
}

test('what rawping writes reads back the same', () => {
  const h: Handover = {
    identifier: 4660,
    sockets: [
      { family: 4, kind: 'raw', fd: 3 },
      { family: 6, kind: 'dgram', fd: 4 },
    ],
  };
  assert.deepEqual(parseHandover(handoverText(h)), h);
});

test('malformed descriptions are refused with one line that names the variable and what is wrong', () => {
  const cases: [string, RegExp][] = [
    ['', /not JSON/],
    ['not json', /not JSON/],
    ['{"identifier":1,', /not JSON/],
    ['null', /not an object/],
    ['1', /not an object/],
    ['"text"', /not an object/],
    ['[]', /not an object/],
    ['[{"identifier":1}]', /not an object/],
    ['{}', /identifier/],
    ['{"privileged":true}', /identifier/],
    ['{"identifier":"4660","sockets":[{"family":4,"kind":"raw","fd":3}]}', /identifier/],
    ['{"identifier":0,"sockets":[{"family":4,"kind":"raw","fd":3}]}', /identifier/],
    ['{"identifier":70000,"sockets":[{"family":4,"kind":"raw","fd":3}]}', /identifier/],
    ['{"identifier":1.5,"sockets":[{"family":4,"kind":"raw","fd":3}]}', /identifier/],
    ['{"identifier":1}', /sockets/],
    ['{"identifier":1,"sockets":"3"}', /sockets/],
    ['{"identifier":1,"sockets":{}}', /sockets/],
    ['{"identifier":1,"sockets":[]}', /sockets/],
    ['{"identifier":1,"sockets":[{"family":4,"kind":"raw","fd":3},{"family":6,"kind":"raw","fd":4},{"family":4,"kind":"raw","fd":5}]}', /sockets/],
    ['{"identifier":1,"sockets":[null]}', /objects/],
    ['{"identifier":1,"sockets":[3]}', /objects/],
    ['{"identifier":1,"sockets":[{}]}', /family/],
    ['{"identifier":1,"sockets":[{"family":"4","kind":"raw","fd":3}]}', /family/],
    ['{"identifier":1,"sockets":[{"family":5,"kind":"raw","fd":3}]}', /family/],
    ['{"identifier":1,"sockets":[{"family":4,"fd":3}]}', /kind/],
    ['{"identifier":1,"sockets":[{"family":4,"kind":"RAW","fd":3}]}', /kind/],
    ['{"identifier":1,"sockets":[{"family":4,"kind":"raw"}]}', /fd/],
    ['{"identifier":1,"sockets":[{"family":4,"kind":"raw","fd":"3"}]}', /fd/],
    ['{"identifier":1,"sockets":[{"family":4,"kind":"raw","fd":0}]}', /fd/],
    ['{"identifier":1,"sockets":[{"family":4,"kind":"raw","fd":-1}]}', /fd/],
    ['{"identifier":1,"sockets":[{"family":4,"kind":"raw","fd":3.5}]}', /fd/],
    ['{"identifier":1,"sockets":[{"family":4,"kind":"raw","fd":1e9}]}', /fd/],
    ['{"identifier":1,"sockets":[{"family":4,"kind":"raw","fd":3},{"family":4,"kind":"dgram","fd":4}]}', /one socket per family/],
  ];
  for (const [text, says] of cases) {
    const result = outcome(text);
    assert.equal(typeof result, 'string', `${text} is refused`);
    assertRefusal(result as string, text);
    assert.match(result as string, says, text);
  }
});

test('property: any text, and any JSON value, gives a well-formed handover or one refusal line', () => {
  const plausible = fc.record(
    {
      identifier: fc.oneof(fc.integer({ min: -2, max: 70000 }), fc.jsonValue()),
      sockets: fc.oneof(
        fc.array(
          fc.oneof(
            fc.record(
              {
                family: fc.constantFrom(4, 6, 5, '4', null),
                kind: fc.constantFrom('raw', 'dgram', 'x', 1),
                fd: fc.oneof(fc.integer({ min: -1, max: 70000 }), fc.double()),
              },
              { requiredKeys: [] },
            ),
            fc.jsonValue(),
          ),
          { maxLength: 3 },
        ),
        fc.jsonValue(),
      ),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.json(),
        plausible.map((v) => JSON.stringify(v)),
      ),
      (text) => {
        const result = outcome(text);
        if (typeof result === 'string') assertRefusal(result, text);
        else assertWellFormed(result, text);
      },
    ),
    { numRuns: 3000 },
  );
});
