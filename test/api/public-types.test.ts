// What a user of the package sees in its types: dist/index.d.ts and every declaration file it
// reaches. Only the public classes are declared there, and no internal one is named.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const INDEX = join(DIST, 'index.d.ts');
const PUBLIC_CLASSES = new Set([
  'Pinger',
  'SocketSet',
  'AddressRange',
  'RawpingError',
  'OptionError',
  'ResolveError',
  'PermissionError',
  'SocketError',
  'AbortError',
  'AddonError',
]);
const INTERNAL = [
  'Engine',
  'Session',
  'ProbeTable',
  'DueHeap',
  'TargetState',
  'TargetRoster',
  'RttStatistics',
  'IcmpSocket',
  'NativeAddon',
  'SessionTransport',
  'PingerControl',
  'ValidatedOptions',
  'SocketSpec',
];

/** Every .d.ts reached from `entry` through its imports and re-exports. */
function declarationClosure(entry: string): Map<string, string> {
  const seen = new Map<string, string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    seen.set(file, text);
    for (const m of text.matchAll(/from '(\.[^']+)\.js'|import\('(\.[^']+)\.js'\)/g)) {
      queue.push(resolve(dirname(file), `${m[1] ?? m[2]}.d.ts`));
    }
  }
  return seen;
}

test(
  'the published declarations declare only the public classes and name no internal one',
  { skip: existsSync(INDEX) ? false : 'dist/ is not built (npm run build)' },
  () => {
    const files = declarationClosure(INDEX);
    assert.ok(files.size > 3, `reached ${files.size} files`);
    for (const [file, text] of files) {
      const where = file.slice(DIST.length);
      for (const m of text.matchAll(/declare class (\w+)/g)) assert.ok(PUBLIC_CLASSES.has(m[1] as string), `${where} declares class ${m[1]}`);
      for (const name of INTERNAL) assert.doesNotMatch(text, new RegExp(`\\b${name}\\b`), `${where} names ${name}`);
      assert.doesNotMatch(text, /@internal/, `${where} keeps an @internal declaration`);
      assert.doesNotMatch(text, /\bcontext\??: /, `${where} has a hidden context parameter`);
    }
  },
);

test(
  'Pinger listeners are typed: the declaration maps each event to its payload type',
  { skip: existsSync(INDEX) ? false : 'dist/ is not built (npm run build)' },
  () => {
    const pinger = readFileSync(join(DIST, 'api', 'pinger.d.ts'), 'utf8');
    assert.match(pinger, /class Pinger extends EventEmitter<PingerEvents>/);
    assert.match(pinger, /reply: \[event: ReplyEvent\]/);
    assert.match(pinger, /private constructor\(\);/);
  },
);
