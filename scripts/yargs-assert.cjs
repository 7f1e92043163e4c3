// The two functions of node:assert that yargs uses to check its own invariants, for the CLI
// bundle only (scripts/bundle-cli.mjs maps yargs' `assert` here). Loading node:assert costs
// about 2.5 ms of every start of rawping; yargs' own browser build does the same.
'use strict';

function fail(message) {
  const error = new Error(message);
  error.code = 'ERR_ASSERTION';
  throw error;
}

exports.strictEqual = (actual, expected, message) => {
  if (!Object.is(actual, expected)) fail(message ?? `Expected values to be strictly equal: ${String(actual)} !== ${String(expected)}`);
};

exports.notStrictEqual = (actual, expected, message) => {
  if (Object.is(actual, expected)) fail(message ?? `Expected "actual" to be strictly unequal to: ${String(expected)}`);
};
