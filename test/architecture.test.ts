// The layer rules of DESIGN.md ("Layers", "Layout") as a test: every file of src/ is parsed
// with the TypeScript compiler (so comments and strings never count as imports) and each
// import, re-export, import(), require() and import type is checked against the rules below.
// A failure names the file, the line, the import and the rule. The checker is a pure function
// of file texts, so the last tests feed it small made-up trees to prove that each rule fires.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, posix, relative, sep } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// ---------------------------------------------------------------------------------------------
// The tree and its ranks: a file may import files of the same or a lower rank, never higher
// (DESIGN.md: "arrows point down only"). A folder that is not here fails `known-folder`, so a
// new folder gets its place in the diagram before it gets code.

const RANK = {
  cli: 7, // argv, modes, formatters, privileges, signals: the only place that prints or exits
  index: 6, // the public barrel, src/index.ts
  api: 6, // the public entry points
  runtime: 5, // composition: the process's engine over real sockets, running targets
  options: 4, // the option table and its validation
  targets: 4, // literal addresses, scopes, name lookup
  pinger: 3, // engine, session loop, statistics
  packet: 2, // the pure codec
  os: 2, // the TypeScript side of the addon: sockets, route lookup, process powers
  wording: 2, // ping-compatible texts, escaping
  errors: 1, // the error classes, src/errors.ts
} as const;
type Layer = keyof typeof RANK;

/** The layer of a file, from its path relative to src/ (posix), or null if it has none. */
function layerOf(path: string): Layer | null {
  if (path === 'index.ts') return 'index';
  if (path === 'errors.ts') return 'errors';
  const folder = path.split('/')[0] as string;
  if (!path.includes('/') || folder === 'index' || folder === 'errors') return null;
  return folder in RANK ? (folder as Layer) : null;
}

// Only the CLI may print, exit or change privileges (DESIGN.md: "only cli/ does those things").
const PROCESS_POWERS = new Set(['exit', 'exitCode', 'abort', 'stdout', 'stderr', 'setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'initgroups']);
// The os/ modules through which the CLI exits (_exit) and drops or re-executes with privileges.
const CLI_ONLY_MODULES = new Set(['os/process-powers.ts']);
// The one file that loads the compiled addon (DESIGN.md: "the ONLY file that loads the .node").
const ADDON_LOADER = 'os/native-binding.ts';
const ADDON_PATH = /\.node$|(^|\/)build\/(Release|Debug)(\/|$)/;

// ---------------------------------------------------------------------------------------------
// Parsing: what a file refers to.

type ReferenceKind = 'import' | 'export' | 'import()' | 'require' | 'import type';

interface Reference {
  kind: ReferenceKind;
  /** The module named, or null when the argument of import()/require() is computed. */
  specifier: string | null;
  /** Erased at run time (`import type`, `export type`, or every named binding marked `type`). */
  typeOnly: boolean;
  line: number;
  /** The statement or call as written, on one line (for the failure message). */
  text: string;
}

interface Usage {
  /** `process.exit`, `console.log`, `build/Release/x.node`, ...: what was found. */
  name: string;
  kind: 'power' | 'addon-path' | 'barrel-statement';
  line: number;
  text: string;
}

function oneLine(node: ts.Node, file: ts.SourceFile): string {
  const text = node.getText(file).replace(/\s+/g, ' ').trim();
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function literalText(node: ts.Node | undefined): string | null {
  return node !== undefined && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;
}

function allTypeOnly(elements: readonly (ts.ImportSpecifier | ts.ExportSpecifier)[]): boolean {
  return elements.length > 0 && elements.every((e) => e.isTypeOnly);
}

/** `process` or `globalThis.process`; `console` or `globalThis.console`. */
function isGlobal(node: ts.Expression, name: string): boolean {
  if (ts.isIdentifier(node)) return node.text === name;
  return ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'globalThis' && node.name.text === name;
}

/** Everything in `text` (a .ts file) that the rules look at. */
function scan(path: string, text: string): { references: Reference[]; usages: Usage[] } {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const references: Reference[] = [];
  const usages: Usage[] = [];
  const lineOf = (node: ts.Node): number => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;
  // A specifier is judged as an import, not again as a string that names a path.
  const specifiers = new Set<ts.Node>();
  const refer = (node: ts.Node, kind: ReferenceKind, specifierNode: ts.Node | undefined, typeOnly: boolean): void => {
    if (specifierNode !== undefined) specifiers.add(specifierNode);
    references.push({ kind, specifier: literalText(specifierNode), typeOnly, line: lineOf(node), text: oneLine(node, file) });
  };
  const use = (node: ts.Node, kind: Usage['kind'], name: string): void => {
    usages.push({ kind, name, line: lineOf(node), text: oneLine(node, file) });
  };

  if (path === 'index.ts') {
    // STYLE.md: "the public barrel: re-exports only".
    for (const statement of file.statements) {
      if (!ts.isExportDeclaration(statement) || statement.moduleSpecifier === undefined) use(statement, 'barrel-statement', oneLine(statement, file));
    }
  }

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.phaseModifier === ts.SyntaxKind.TypeKeyword ||
          (clause.name === undefined && named !== undefined && ts.isNamedImports(named) && allTypeOnly(named.elements)));
      refer(node, typeOnly ? 'import type' : 'import', node.moduleSpecifier, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      const clause = node.exportClause;
      const typeOnly = node.isTypeOnly || (clause !== undefined && ts.isNamedExports(clause) && allTypeOnly(clause.elements));
      refer(node, 'export', node.moduleSpecifier, typeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      refer(node, 'require', node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) refer(node, 'import()', node.arguments[0], false);
      else if (ts.isIdentifier(callee) && callee.text === 'require') refer(node, 'require', node.arguments[0], false);
      else if (
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'require' &&
        callee.name.text === 'resolve'
      ) {
        refer(node, 'require', node.arguments[0], false);
      }
    } else if (ts.isImportTypeNode(node)) {
      const argument = ts.isLiteralTypeNode(node.argument) ? node.argument.literal : undefined;
      refer(node, 'import type', argument, true);
    } else if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) {
      const member = ts.isPropertyAccessExpression(node) ? node.name.text : literalText(node.argumentExpression);
      if (member !== null && isGlobal(node.expression, 'process') && PROCESS_POWERS.has(member)) use(node, 'power', `process.${member}`);
      if (member !== null && isGlobal(node.expression, 'console')) use(node, 'power', `console.${member}`);
    } else if (
      ts.isVariableDeclaration(node) &&
      ts.isObjectBindingPattern(node.name) &&
      node.initializer !== undefined &&
      isGlobal(node.initializer, 'process')
    ) {
      // const { exit } = process
      for (const element of node.name.elements) {
        const key = element.propertyName ?? element.name;
        if (ts.isIdentifier(key) && PROCESS_POWERS.has(key.text)) use(element, 'power', `process.${key.text}`);
      }
    } else if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateLiteralToken(node)) {
      if (!specifiers.has(node) && ADDON_PATH.test(node.text)) use(node, 'addon-path', node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { references, usages };
}

// ---------------------------------------------------------------------------------------------
// Resolution: where a reference points.

type Target =
  | { kind: 'src'; path: string; layer: Layer | null }
  | { kind: 'outside'; path: string } // a relative path that leaves src/
  | { kind: 'missing'; path: string } // relative, inside src/, but no such file
  | { kind: 'builtin'; name: string }
  | { kind: 'package'; name: string }
  | { kind: 'computed' };

function resolveReference(from: string, specifier: string | null, files: ReadonlySet<string>): Target {
  if (specifier === null) return { kind: 'computed' };
  if (specifier.startsWith('./') || specifier.startsWith('../')) {
    const joined = posix.normalize(posix.join(posix.dirname(from), specifier));
    if (joined.startsWith('../')) return { kind: 'outside', path: joined };
    // NodeNext: sources import each other by their emitted name, x.js for x.ts.
    const path = joined.endsWith('.js') ? `${joined.slice(0, -3)}.ts` : joined;
    return files.has(path) ? { kind: 'src', path, layer: layerOf(path) } : { kind: 'missing', path };
  }
  if (isBuiltin(specifier)) return { kind: 'builtin', name: specifier };
  const parts = specifier.split('/');
  return { kind: 'package', name: specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string) };
}

// ---------------------------------------------------------------------------------------------
// The rules.

interface Edge {
  from: string;
  fromLayer: Layer | null;
  reference: Reference;
  target: Target;
}

interface ImportRule {
  id: string;
  /** The rule in one sentence, with where it is written. */
  says: string;
  crosses(edge: Edge): boolean;
  /** What this edge did, when the rule alone does not say it. */
  detail?(edge: Edge): string;
}

const layerOfTarget = (target: Target): Layer | null => (target.kind === 'src' ? target.layer : null);
const isAddonPath = (specifier: string | null): boolean => specifier !== null && ADDON_PATH.test(specifier);

const IMPORT_RULES: ImportRule[] = [
  {
    id: 'arrows-down',
    says: 'a file imports only its own rank or lower: cli > api, index > runtime > options, targets > pinger > packet, os, wording > errors (DESIGN.md, "Layers")',
    crosses: ({ fromLayer, target }) => {
      const to = layerOfTarget(target);
      return fromLayer !== null && to !== null && RANK[to] > RANK[fromLayer];
    },
    detail: ({ fromLayer, target }) => {
      const to = layerOfTarget(target) as Layer;
      return `${fromLayer as Layer} (rank ${RANK[fromLayer as Layer]}) imports ${to} (rank ${RANK[to]})`;
    },
  },
  {
    id: 'barrel-is-for-users',
    says: "only src/cli/ imports src/index.ts: the CLI is a client of the public API (as pro-bing's cmd/ping is), and the library importing its own barrel would make a cycle",
    crosses: ({ fromLayer, target }) => fromLayer !== 'cli' && target.kind === 'src' && target.path === 'index.ts',
  },
  {
    id: 'packet-is-pure',
    says: 'packet/ imports nothing outside packet/, not even node: modules (DESIGN.md: "packet/ is pure")',
    crosses: ({ fromLayer, target }) => fromLayer === 'packet' && layerOfTarget(target) !== 'packet',
  },
  {
    id: 'wording-is-a-leaf',
    says: 'wording/ imports only wording/ and types from packet/ (ping texts are pure functions of facts)',
    crosses: ({ fromLayer, target, reference }) => {
      const to = layerOfTarget(target);
      return fromLayer === 'wording' && to !== 'wording' && !(to === 'packet' && reference.typeOnly);
    },
  },
  {
    id: 'cli-is-private',
    says: 'only src/cli/ imports src/cli/: the library never depends on the command (DESIGN.md, "Layers")',
    crosses: ({ fromLayer, target }) => fromLayer !== 'cli' && layerOfTarget(target) === 'cli',
  },
  {
    id: 'api-never-imports-cli',
    says: 'api/ never imports cli/: the CLI is a client of the API, not the other way round (DESIGN.md, "Composition")',
    crosses: ({ fromLayer, target }) => fromLayer === 'api' && layerOfTarget(target) === 'cli',
  },
  {
    id: 'pinger-looks-down',
    says: 'pinger/ never imports api/, runtime/ or cli/: the engine knows its ports, not its callers (DESIGN.md, "Layers")',
    crosses: ({ fromLayer, target }) => fromLayer === 'pinger' && ['api', 'runtime', 'cli'].includes(layerOfTarget(target) ?? ''),
  },
  {
    id: 'os-looks-down',
    says: 'os/ never imports pinger/, api/, runtime/ or cli/: the OS boundary serves the engine, it does not drive it',
    crosses: ({ fromLayer, target }) => fromLayer === 'os' && ['pinger', 'api', 'runtime', 'cli'].includes(layerOfTarget(target) ?? ''),
  },
  {
    id: 'addon-behind-os',
    says: `only os/ imports ${ADDON_LOADER}: os/ maps native errors once, at the boundary, and nothing above it sees the raw addon (DESIGN.md: "maps native errors ... once, at the boundary")`,
    crosses: ({ fromLayer, target }) => fromLayer !== 'os' && target.kind === 'src' && target.path === ADDON_LOADER,
  },
  {
    id: 'addon-loaded-once',
    says: `only ${ADDON_LOADER} loads a .node file or a build/ path (DESIGN.md: "the ONLY file that loads the .node")`,
    crosses: ({ from, reference }) => from !== ADDON_LOADER && isAddonPath(reference.specifier),
  },
  {
    id: 'specifiers-are-literal',
    says: `import() and require() name their module with a string literal, so this test can see the arrow (only ${ADDON_LOADER} computes the addon's path)`,
    crosses: ({ from, target }) => from !== ADDON_LOADER && target.kind === 'computed',
  },
  {
    id: 'cli-only-modules',
    says: `only src/cli/ imports ${[...CLI_ONLY_MODULES].join(' and ')}: the library never exits and never changes privileges (DESIGN.md, "Layers")`,
    crosses: ({ fromLayer, target }) => fromLayer !== 'cli' && fromLayer !== 'os' && target.kind === 'src' && CLI_ONLY_MODULES.has(target.path),
  },
  {
    id: 'library-has-no-packages',
    says: "outside src/cli/, imports are relative or node: built-ins: the library has no JavaScript dependency, and the CLI's are bundled into dist/cli",
    crosses: ({ fromLayer, target }) => fromLayer !== 'cli' && target.kind === 'package',
  },
  {
    id: 'stays-in-src',
    says: 'a relative import stays inside src/: the build emits src/ alone, as dist/',
    crosses: ({ target }) => target.kind === 'outside',
  },
  {
    id: 'resolves',
    says: 'a relative import names a file of src/ by its emitted name (x.js for x.ts)',
    crosses: ({ target }) => target.kind === 'missing',
  },
];

const USAGE_RULES: Record<Usage['kind'], { id: string; says: string; applies: (from: string) => boolean }> = {
  power: {
    id: 'only-cli-prints-or-exits',
    says: 'only src/cli/ refers to console, process.exit/exitCode/abort, process.stdout/stderr or process.set*id (DESIGN.md: "only cli/ does those things")',
    applies: (from) => layerOf(from) !== 'cli',
  },
  'addon-path': {
    id: 'addon-loaded-once',
    says: `only ${ADDON_LOADER} names the compiled addon or build/ (DESIGN.md: "the ONLY file that loads the .node")`,
    applies: (from) => from !== ADDON_LOADER,
  },
  'barrel-statement': {
    id: 'barrel-reexports-only',
    says: 'src/index.ts holds re-exports only (STYLE.md: "the public barrel: re-exports only")',
    applies: (from) => from === 'index.ts',
  },
};

const KNOWN_FOLDER = {
  id: 'known-folder',
  says: `a file of src/ is index.ts, errors.ts, or inside one of ${Object.keys(RANK)
    .filter((l) => l !== 'index' && l !== 'errors')
    .join(', ')} (add a new folder to RANK in this test, with its rank)`,
};

interface Violation {
  rule: string;
  file: string;
  line: number;
  /** The specifier imported, or the name used (`process.exit`): what allow-list entries match. */
  what: string;
  text: string;
  says: string;
}

/** Every rule crossed by the files of a tree: paths relative to src/, posix, with their text. */
function checkTree(tree: ReadonlyMap<string, string>): Violation[] {
  const files = new Set(tree.keys());
  const violations: Violation[] = [];
  for (const [from, text] of tree) {
    const fromLayer = layerOf(from);
    if (fromLayer === null) violations.push({ rule: KNOWN_FOLDER.id, file: from, line: 1, what: from, text: from, says: KNOWN_FOLDER.says });
    const { references, usages } = scan(from, text);
    for (const reference of references) {
      const edge: Edge = { from, fromLayer, reference, target: resolveReference(from, reference.specifier, files) };
      for (const rule of IMPORT_RULES) {
        if (rule.crosses(edge)) {
          const says = rule.detail === undefined ? rule.says : `${rule.detail(edge)}; ${rule.says}`;
          violations.push({ rule: rule.id, file: from, line: reference.line, what: reference.specifier ?? '(computed)', text: reference.text, says });
        }
      }
    }
    for (const usage of usages) {
      const rule = USAGE_RULES[usage.kind];
      if (rule.applies(from)) violations.push({ rule: rule.id, file: from, line: usage.line, what: usage.name, text: usage.text, says: rule.says });
    }
  }
  return violations;
}

const ruleIds = (): Set<string> => new Set([...IMPORT_RULES.map((r) => r.id), ...Object.values(USAGE_RULES).map((r) => r.id), KNOWN_FOLDER.id]);

const describeViolation = (v: Violation): string => `src/${v.file}:${v.line}: ${v.text}\n    [${v.rule}] ${v.says}`;

// ---------------------------------------------------------------------------------------------
// What the tree breaks today, on purpose or not yet fixed. Each entry must still match a
// violation (a stale entry fails), so these lists only shrink.

interface Allowed {
  rule: string;
  file: string;
  what: string;
  why: string;
}

/** Permanent exceptions: the rule's aim holds, and the reason says why. */
const EXCEPTIONS: Allowed[] = [
  {
    rule: 'stays-in-src',
    file: 'cli/default-command.ts',
    what: '../../package.json',
    why: '--version reads the package version; dist/cli/ is as deep as src/cli/, so the path holds after the build (and the bundle keeps it as a require)',
  },
];

/** Violations of today's tree that the integrator is to fix (then delete the entry). */
const TO_FIX: Allowed[] = [];

const ALLOWED = [...EXCEPTIONS, ...TO_FIX];
const matches = (a: Allowed, v: Violation): boolean => a.rule === v.rule && a.file === v.file && a.what === v.what;

// ---------------------------------------------------------------------------------------------
// The real tree.

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function readTree(root: string): Map<string, string> {
  const tree = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) tree.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return tree;
}

describe('src/ keeps the layer rules', () => {
  const tree = readTree(SRC);
  const violations = checkTree(tree);

  test('the walk sees the whole tree (the rules have something to check)', () => {
    assert.ok(tree.size >= 50, `only ${tree.size} files under ${SRC}`);
    for (const path of ['index.ts', 'errors.ts', ADDON_LOADER, 'packet/checksum.ts', 'cli/main.ts']) assert.ok(tree.has(path), `src/${path} not found`);
  });

  test('no import crosses a rule (beyond the listed exceptions and known violations)', () => {
    const unexpected = violations.filter((v) => !ALLOWED.some((a) => matches(a, v)));
    assert.equal(unexpected.length, 0, `\n${unexpected.map(describeViolation).join('\n')}\n`);
  });

  test('every listed exception and known violation still exists (fixed ones leave the list)', () => {
    const stale = ALLOWED.filter((a) => !violations.some((v) => matches(a, v)));
    assert.deepEqual(stale, [], 'these entries match nothing any more: delete them from test/architecture.test.ts');
  });

  test('every list entry names a rule of this test and says why', () => {
    const ids = ruleIds();
    for (const a of ALLOWED) {
      assert.ok(ids.has(a.rule), `unknown rule ${a.rule}`);
      assert.ok(a.why.length > 20, `${a.file}: say why`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The checker itself, on made-up trees.

/** A tree of the given files plus one empty file per layer, so that every import resolves. */
function madeUp(files: Record<string, string>): Map<string, string> {
  const tree = new Map<string, string>([
    ['index.ts', ''],
    ['errors.ts', 'export class E extends Error {}\n'],
    ...['cli', 'api', 'runtime', 'options', 'targets', 'pinger', 'packet', 'os', 'wording'].map((l): [string, string] => [
      `${l}/x.ts`,
      'export const x = 1;\n',
    ]),
    [ADDON_LOADER, ''],
    ...[...CLI_ONLY_MODULES].map((m): [string, string] => [m, '']),
  ]);
  for (const [path, text] of Object.entries(files)) tree.set(path, text);
  return tree;
}

const rulesCrossed = (files: Record<string, string>, file: string): string[] =>
  checkTree(madeUp(files))
    .filter((v) => v.file === file)
    .map((v) => `${v.rule} ${v.what}`)
    .sort();

describe('the checker', () => {
  test('finds every form of import and ignores comments and strings', () => {
    const { references } = scan(
      'pinger/a.ts',
      [
        "import { a } from './a1.js';",
        "import type { B } from './a2.js';",
        "import { type C, type D } from './a3.js';",
        "import { type E, f } from './a4.js';",
        "import './a5.js';",
        "export { g } from './a6.js';",
        "export type { H } from './a7.js';",
        "export * from './a8.js';",
        "import i = require('./a9.js');",
        "const j = await import('./a10.js');",
        "const k = require('./a11.js');",
        "const l = require.resolve('./a12.js');",
        "type M = import('./a13.js').M;",
        'const n = await import(name);',
        "// import { z } from './comment.js';",
        'const s = "import { z } from \'./string.js\'";',
      ].join('\n'),
    );
    assert.deepEqual(
      references.map((r) => `${r.line} ${r.kind} ${r.specifier} ${r.typeOnly}`),
      [
        '1 import ./a1.js false',
        '2 import type ./a2.js true',
        '3 import type ./a3.js true',
        '4 import ./a4.js false',
        '5 import ./a5.js false',
        '6 export ./a6.js false',
        '7 export ./a7.js true',
        '8 export ./a8.js false',
        '9 require ./a9.js false',
        '10 import() ./a10.js false',
        '11 require ./a11.js false',
        '12 require ./a12.js false',
        '13 import type ./a13.js true',
        '14 import() null false',
      ],
    );
  });

  test('finds process powers and console however written, and not in comments or other objects', () => {
    const { usages } = scan(
      'pinger/a.ts',
      [
        'process.exit(1);',
        "process['stdout'].write('x');",
        'globalThis.process.exitCode = 2;',
        'const { stderr, setuid: s } = process;',
        'console.error("x");',
        '// process.exit() would wait',
        'const p = { exit: 1, stdout: 2 }; p.exit; p.stdout;',
        'process.hrtime.bigint(); process.env.X;',
      ].join('\n'),
    );
    assert.deepEqual(
      usages.map((u) => `${u.line} ${u.name}`),
      ['1 process.exit', '2 process.stdout', '3 process.exitCode', '4 process.stderr', '4 process.setuid', '5 console.error'],
    );
  });

  // One made-up file per rule: the bad one crosses exactly that rule (and names the import);
  // the good one beside it crosses none.
  const cases: { rule: string; file: string; bad: string; good: string; what: string[] }[] = [
    {
      rule: 'arrows-down',
      file: 'pinger/a.ts',
      bad: "import { x } from '../options/x.js';",
      good: "import { x } from '../packet/x.js';",
      what: ['arrows-down ../options/x.js'],
    },
    {
      rule: 'arrows-down (type-only imports count)',
      file: 'targets/a.ts',
      bad: "import type { x } from '../runtime/x.js';",
      good: "import type { x } from '../targets/x.js';",
      what: ['arrows-down ../runtime/x.js'],
    },
    {
      rule: 'barrel-is-for-users',
      file: 'api/a.ts',
      bad: "export { x } from '../index.js';",
      good: "export { x } from './x.js';",
      what: ['barrel-is-for-users ../index.js'],
    },
    {
      rule: 'packet-is-pure',
      file: 'packet/a.ts',
      bad: "import { x } from '../errors.js';\nimport { Buffer } from 'node:buffer';",
      good: "import { x } from './x.js';",
      what: ['packet-is-pure ../errors.js', 'packet-is-pure node:buffer'],
    },
    {
      rule: 'wording-is-a-leaf',
      file: 'wording/a.ts',
      bad: "import { x } from '../packet/x.js';",
      good: "import type { x } from '../packet/x.js';\nimport { y } from './x.js';",
      what: ['wording-is-a-leaf ../packet/x.js'],
    },
    {
      rule: 'cli-is-private (and arrows-down)',
      file: 'runtime/a.ts',
      bad: "const m = await import('../cli/x.js');",
      good: "const m = await import('../pinger/x.js');",
      what: ['arrows-down ../cli/x.js', 'cli-is-private ../cli/x.js'],
    },
    {
      rule: 'api-never-imports-cli',
      file: 'api/a.ts',
      bad: "import { x } from '../cli/x.js';",
      good: "import { x } from '../runtime/x.js';",
      what: ['api-never-imports-cli ../cli/x.js', 'arrows-down ../cli/x.js', 'cli-is-private ../cli/x.js'],
    },
    {
      rule: 'pinger-looks-down',
      file: 'pinger/a.ts',
      bad: "import { x } from '../api/x.js';",
      good: "import { x } from '../os/x.js';",
      what: ['arrows-down ../api/x.js', 'pinger-looks-down ../api/x.js'],
    },
    {
      rule: 'os-looks-down',
      file: 'os/a.ts',
      bad: "import type { x } from '../pinger/x.js';",
      good: "import type { x } from '../packet/x.js';",
      what: ['arrows-down ../pinger/x.js', 'os-looks-down ../pinger/x.js'],
    },
    {
      rule: 'addon-behind-os',
      file: 'runtime/a.ts',
      bad: "import { loadAddon } from '../os/native-binding.js';",
      good: "import { x } from '../os/x.js';",
      what: ['addon-behind-os ../os/native-binding.js'],
    },
    {
      rule: 'addon-loaded-once',
      file: 'os/a.ts',
      bad: "const a = require('../../build/Release/rawping.node');\nconst p = new URL('../../build/Release/rawping.node', import.meta.url);",
      good: "import { loadAddon } from './native-binding.js';",
      what: [
        'addon-loaded-once ../../build/Release/rawping.node',
        'addon-loaded-once ../../build/Release/rawping.node',
        'stays-in-src ../../build/Release/rawping.node',
      ],
    },
    {
      rule: 'specifiers-are-literal',
      file: 'runtime/a.ts',
      bad: 'const m = await import(`../${name}.js`);',
      good: "const m = await import('./x.js');",
      what: ['specifiers-are-literal (computed)'],
    },
    {
      rule: 'cli-only-modules',
      file: 'api/a.ts',
      bad: "import { exitNow } from '../os/process-powers.js';",
      good: "import { x } from '../os/x.js';",
      what: ['cli-only-modules ../os/process-powers.js'],
    },
    {
      rule: 'library-has-no-packages',
      file: 'targets/a.ts',
      bad: "import yargs from 'yargs';\nimport { y } from '@scope/pkg/sub';",
      good: "import { lookup } from 'node:dns/promises';",
      what: ['library-has-no-packages @scope/pkg/sub', 'library-has-no-packages yargs'],
    },
    {
      rule: 'stays-in-src',
      file: 'api/a.ts',
      bad: "import { x } from '../../test/helpers/x.js';",
      good: "import { x } from './x.js';",
      what: ['stays-in-src ../../test/helpers/x.js'],
    },
    { rule: 'resolves', file: 'api/a.ts', bad: "import { x } from './nowhere.js';", good: "import { x } from './x.js';", what: ['resolves ./nowhere.js'] },
    {
      rule: 'only-cli-prints-or-exits',
      file: 'pinger/a.ts',
      bad: "console.log('x');\nprocess.exit(1);",
      good: 'const t = process.hrtime.bigint(); // process.exit() here would be wrong',
      what: ['only-cli-prints-or-exits console.log', 'only-cli-prints-or-exits process.exit'],
    },
    {
      rule: 'barrel-reexports-only',
      file: 'index.ts',
      bad: "import { x } from './api/x.js';\nexport const y = x;",
      good: "export { x } from './api/x.js';\nexport type { E } from './errors.js';",
      what: ['barrel-reexports-only export const y = x;', "barrel-reexports-only import { x } from './api/x.js';"],
    },
    { rule: 'known-folder', file: 'helpers/a.ts', bad: 'export const a = 1;', good: '', what: ['known-folder helpers/a.ts'] },
  ];
  for (const c of cases) {
    test(`${c.rule}: fires on ${c.file}, names the import`, () => {
      assert.deepEqual(rulesCrossed({ [c.file]: c.bad }, c.file), [...c.what].sort());
      if (c.rule !== 'known-folder') assert.deepEqual(rulesCrossed({ [c.file]: c.good }, c.file), []);
    });
  }

  test('every rule has a made-up case above that makes it fire', () => {
    const fired = new Set(cases.flatMap((c) => c.what.map((w) => w.split(' ')[0])));
    for (const id of ruleIds()) assert.ok(fired.has(id), `no case makes ${id} fire`);
  });

  test('the CLI may print, exit, use packages and import any layer', () => {
    const cli = [
      "import yargs from 'yargs';",
      "import { exitNow } from '../os/process-powers.js';",
      "import { x } from '../api/x.js';",
      "import { y } from './x.js';",
      "process.stdout.write('x');",
      'process.exit(0);',
    ].join('\n');
    assert.deepEqual(rulesCrossed({ 'cli/a.ts': cli }, 'cli/a.ts'), []);
  });

  test('a failure message names the file, the line, the import and the rule', () => {
    const [violation] = checkTree(madeUp({ 'packet/a.ts': "\nimport { E } from '../errors.js';" })).filter((v) => v.file === 'packet/a.ts');
    assert.ok(violation !== undefined);
    const message = describeViolation(violation);
    assert.match(message, /^src\/packet\/a\.ts:2: import \{ E \} from '\.\.\/errors\.js';/);
    assert.match(message, /\[packet-is-pure\] packet\/ imports nothing outside packet\//);
  });
});
