// docs/hostile-inputs.md against the tests that cite it: the items are numbered 1 to N, every
// item is cited by at least one test (`docs/hostile-inputs.md #N`, ranges as `#N-#M`), and
// every citation names an item that exists. So the list cannot gain an item without a test,
// and a test cannot point at an item that was never written down.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LIST = readFileSync(join(ROOT, 'docs/hostile-inputs.md'), 'utf8');
const SELF = fileURLToPath(import.meta.url);

function sources(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...sources(path));
    else if (name.endsWith('.ts')) found.push(path);
  }
  return found;
}

const FILES = sources(join(ROOT, 'test')).map((path) => ({ path, name: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

/** The item numbers of the list, in the order they appear (`12. **...`). */
function items(): number[] {
  return [...LIST.matchAll(/^(\d+)\. \*\*/gm)].map((m) => Number(m[1]));
}

/** Every item a text cites: `docs/hostile-inputs.md #3`, `#8-#18`, `#24, #27`, `#19 and #29`. */
function citations(text: string): number[] {
  const cited: number[] = [];
  for (const m of text.matchAll(/docs\/hostile-inputs\.md((?:(?:,|\s|and)*#\d+(?:-#\d+)?)+)/g)) {
    for (const r of (m[1] as string).matchAll(/#(\d+)(?:-#(\d+))?/g)) {
      const first = Number(r[1]);
      const last = r[2] === undefined ? first : Number(r[2]);
      assert.ok(last >= first, `a backwards range in ${JSON.stringify(m[0])}`);
      for (let n = first; n <= last; n++) cited.push(n);
    }
  }
  return cited;
}

test('citations are read as written: single items, ranges and lists', () => {
  assert.deepEqual(citations('docs/hostile-inputs.md #3: x'), [3]);
  assert.deepEqual(citations('(docs/hostile-inputs.md #8-#10): x'), [8, 9, 10]);
  assert.deepEqual(citations('docs/hostile-inputs.md #19-#21, #23 and #30 on'), [19, 20, 21, 23, 30]);
  assert.deepEqual(citations('hostile inputs 8-18, hostile-inputs.md items 1-3'), [], 'only the path with #N counts');
});

test('the items are numbered #1 to #N in order, each once', () => {
  const numbers = items();
  assert.ok(numbers.length >= 30, `${numbers.length} items`);
  assert.deepEqual(
    numbers,
    numbers.map((_, i) => i + 1),
  );
});

test('every item is cited by at least one test, and every citation names an item that exists', () => {
  const known = new Set(items());
  const citedBy = new Map<number, string[]>();
  const unknown: string[] = [];
  for (const file of FILES) {
    if (file.path === SELF) continue;
    for (const n of citations(file.text)) {
      if (!known.has(n)) unknown.push(`${file.name} cites #${n}`);
      citedBy.set(n, [...(citedBy.get(n) ?? []), file.name]);
    }
  }
  assert.deepEqual(unknown, [], 'citations of items the list does not have');
  const uncited = [...known].filter((n) => !citedBy.has(n));
  assert.deepEqual(uncited, [], 'items no test cites');
});

test('no test cites the list without its path and item number (as "hostile inputs 8-18" once did)', () => {
  const loose = FILES.filter((f) => f.path !== SELF).flatMap((f) =>
    [...f.text.matchAll(/(?<!docs\/)hostile[- ]inputs?(?:\.md)?,? (?:items? )?\d+/gi)].map((m) => `${f.name}: ${m[0]}`),
  );
  assert.deepEqual(loose, []);
});
