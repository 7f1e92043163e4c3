// Go durations as smokeping_prober's config writes them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration } from '../../../src/cli/exporter/parse-duration.js';

test('units, fractions and sums', () => {
  assert.equal(parseDuration('1s'), 1000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('1m30s'), 90_000);
  assert.equal(parseDuration('2h'), 7_200_000);
  assert.equal(parseDuration('500us'), 0.5);
  assert.equal(parseDuration('500µs'), 0.5);
  assert.equal(parseDuration('0'), 0);
});

test('refused: bare numbers, unknown units, signs, spaces, long text', () => {
  for (const bad of ['1', '', 's', '1d', '-1s', '+1s', '1 s', ' 1s', '1s ', '1e3s', `${'1'.repeat(40)}s`, '1ss']) assert.equal(parseDuration(bad), null, bad);
});

test('formatDuration writes what parseDuration reads', () => {
  for (const ms of [250, 1000, 1500, 60_000, 90_000, 3_600_000, 3_661_000]) assert.equal(parseDuration(formatDuration(ms)), ms, formatDuration(ms));
  assert.equal(formatDuration(60_000), '1m0s');
  assert.equal(formatDuration(1000), '1s');
});
