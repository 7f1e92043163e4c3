// ESLint (flat config). The layer rules that are about imports live in
// test/architecture.test.ts; this file holds the habits that are about code: no `any`, no
// floating promise, type-only imports marked, and the two things only src/cli may do.
// Formatting is Prettier's (.prettierrc.json), so no stylistic rule here.
import js from '@eslint/js';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

// Where the rule is written: the repository's ../shared/DESIGN.md, "Layers".
const DESIGN = 'DESIGN.md, "Layers"';

// Process powers that belong to the CLI alone. The CLI itself prints through its Output
// (src/cli/output.ts), which is handed process.stdout and process.stderr.
const cliOnly = [
  ...['exit', 'exitCode', 'abort'].map((p) => [p, `only src/cli exits (${DESIGN}); the library returns or throws`]),
  ...['stdout', 'stderr'].map((p) => [p, `only src/cli prints (${DESIGN}); the library reports through events and return values`]),
  ...['setuid', 'setgid', 'seteuid', 'setegid', 'setgroups', 'initgroups'].map((p) => [
    p,
    `the library never changes privileges (${DESIGN}); only src/cli drops them`,
  ]),
].map(([property, message]) => ({ object: 'process', property, message: `process.${property}: ${message}.` }));

export default defineConfig(
  {
    ignores: ['dist/', 'build/', 'build-asan/', 'coverage/', 'node_modules/', '.bench-out/', 'bench/results/'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  js.configs.recommended,
  {
    rules: { eqeqeq: 'error' },
  },

  // TypeScript: type-aware, against the program that `npm run typecheck` builds.
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        // The program `npm run typecheck` builds: src/ and test/ together.
        project: './tsconfig.test.json',
        tsconfigRootDir: import.meta.dirname,
      },
      globals: globals.node,
    },
    rules: {
      // No `any`, not even at the native boundary: src/os/native-binding.ts types the addon.
      '@typescript-eslint/no-explicit-any': 'error',
      // node:test's test() and describe() return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      // `() => callback()` for a void callback is how this code passes handlers.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // Off: the public API checks at run time what its types already exclude (JavaScript callers
      // pass anything), and flags set by callbacks look constant to the checker.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      // Off: `delete env[NAME]` is how a variable is unset; env is a dictionary, not a record.
      '@typescript-eslint/no-dynamic-delete': 'off',
      // Off: escaping and validation here match control characters on purpose, always as \x escapes.
      'no-control-regex': 'off',
      // `import type` / inline `type` marks what disappears at run time (both styles are in use).
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // `_name` says "unused on purpose".
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Numbers and booleans in template strings are how the CLI writes its lines.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
      // The packet and event types are discriminated unions: a new member must reach every switch.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
    },
  },

  {
    files: ['test/**/*.ts'],
    rules: {
      // A wrong `!` in a test throws at once, and a thrown test fails: the signal wanted.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // scripts/soak.ts is run by tsx and is in no tsconfig: it gets the test settings.
    files: ['scripts/**/*.ts'],
    languageOptions: {
      parserOptions: {
        project: null,
        projectService: { allowDefaultProject: ['scripts/*.ts'], defaultProject: 'tsconfig.test.json' },
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },

  // JavaScript: scripts, benchmarks, the container check, this file. Node globals, no types.
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node, ecmaVersion: 'latest' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  // src/: the CLI prints only through its Output; the rest of src/ is the library, which never
  // prints, exits or changes privileges (the architecture test checks the imports).
  {
    files: ['src/**/*.ts'],
    rules: {
      // Every export says what it takes and gives (the JSDoc says the units).
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      'no-restricted-globals': [
        'error',
        { name: 'console', message: `only src/cli prints (${DESIGN}), and it writes through its Output (src/cli/output.ts).` },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-properties': ['error', ...cliOnly],
    },
  },
);
