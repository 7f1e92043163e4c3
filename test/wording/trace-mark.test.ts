import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { traceMark } from '../../src/wording/trace-mark.js';

describe('traceMark: traceroute marks', () => {
  test('IPv4 destination unreachable by code', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 9, 10, 13, 14, 15].map((code) => traceMark(4, 3, code)),
      ['!N', '!H', '!P', '!3', '!F', '!X', '!X', '!X', '!V', '!C'],
    );
  });

  test('ICMPv6: no route, prohibited, address unreachable, packet too big', () => {
    assert.deepEqual([traceMark(6, 1, 0), traceMark(6, 1, 1), traceMark(6, 1, 3), traceMark(6, 1, 4), traceMark(6, 2, 0)], ['!N', '!X', '!H', '!4', '!F']);
  });

  test('any other error by type and code', () => {
    assert.equal(traceMark(4, 12, 0), '!12/0');
    assert.equal(traceMark(6, 4, 1), '!4/1');
  });
});
