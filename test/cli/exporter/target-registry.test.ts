// The registry's label sets, written into the exposition: `host` and `ip` always, `source` and
// `tos` on every series once any group sets them (empty or 0 for the groups that do not, so
// all series of a family have the same keys), then the groups' own labels, sorted. Names are
// answered by a fake lookup: nothing leaves the process.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_GROUP, parseConfig } from '../../../src/cli/exporter/exporter-config.js';
import { DEFAULT_BUCKETS, TargetExposition } from '../../../src/cli/exporter/exposition.js';
import { TargetRegistry } from '../../../src/cli/exporter/target-registry.js';
import type { LookupFunction } from '../../../src/index.js';

const lookup: LookupFunction = (hostname) =>
  hostname === 'gw.test' ? Promise.resolve({ address: '127.0.0.42', family: 4 }) : Promise.reject(new Error(`${hostname}: not in this test`));

async function exposition(registry: TargetRegistry): Promise<string[]> {
  const pieces: Buffer[] = [];
  await new TargetExposition(DEFAULT_BUCKETS).stream(registry.series(), (p) => {
    pieces.push(p);
    return Promise.resolve(true);
  });
  return Buffer.concat(pieces).toString('utf8').split('\n');
}

describe('TargetRegistry labels', () => {
  test('a group with a source: every series gets the source label, empty where the group has none', async () => {
    const config = parseConfig(
      ['targets:', '- hosts: [127.0.0.1, gw.test]', '  source: 127.0.0.1', '  labels: {site: ams}', '- hosts: [::1]', ''].join('\n'),
      'test.yml',
    );
    const registry = new TargetRegistry(DEFAULT_BUCKETS, lookup);
    const plan = await registry.plan(config);
    assert.ok(!('error' in plan), JSON.stringify(plan));
    registry.adopt(plan);
    const lines = await exposition(registry);
    const requests = lines.filter((l) => l.startsWith('smokeping_requests_total{'));
    assert.deepEqual(requests, [
      'smokeping_requests_total{host="127.0.0.1",ip="127.0.0.1",source="127.0.0.1",site="ams"} 0',
      'smokeping_requests_total{host="gw.test",ip="127.0.0.42",source="127.0.0.1",site="ams"} 0',
      'smokeping_requests_total{host="::1",ip="::1",source="",site=""} 0',
    ]);
    assert.ok(lines.includes('smokeping_response_duration_seconds_bucket{host="gw.test",ip="127.0.0.42",source="127.0.0.1",site="ams",le="+Inf"} 0'));
  });

  test('no group sets source or tos: neither label', async () => {
    const registry = new TargetRegistry(DEFAULT_BUCKETS, lookup);
    const plan = await registry.plan({ groups: [{ ...DEFAULT_GROUP, hosts: ['127.0.0.1'], line: 0 }], dnsRefreshMs: null });
    assert.ok(!('error' in plan));
    registry.adopt(plan);
    assert.ok((await exposition(registry)).includes('smokeping_requests_total{host="127.0.0.1",ip="127.0.0.1"} 0'));
  });

  test('source and tos together, in that order after ip; a reload that adds a source relabels the series', async () => {
    const registry = new TargetRegistry(DEFAULT_BUCKETS, lookup);
    const first = await registry.plan(parseConfig('targets:\n- hosts: [127.0.0.1]\n', 'a.yml'));
    assert.ok(!('error' in first));
    registry.adopt(first);
    const second = await registry.plan(parseConfig('targets:\n- hosts: [127.0.0.1]\n- hosts: [127.0.0.2]\n  source: 127.0.0.1\n  tos: 0x10\n', 'a.yml'));
    assert.ok(!('error' in second));
    registry.adopt(second);
    const requests = (await exposition(registry)).filter((l) => l.startsWith('smokeping_requests_total{'));
    assert.deepEqual(requests, [
      'smokeping_requests_total{host="127.0.0.1",ip="127.0.0.1",source="",tos="0"} 0',
      'smokeping_requests_total{host="127.0.0.2",ip="127.0.0.2",source="127.0.0.1",tos="16"} 0',
    ]);
  });
});
