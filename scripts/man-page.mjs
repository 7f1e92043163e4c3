#!/usr/bin/env node
// Writes the man page rawping(1) to dist/man/rawping.1 (package.json's `man` field) from the
// built option table and subcommands (src/options/man-page.ts renders it). Run by npm run build,
// after tsc, so it reads whatever rows and subcommands the sources have.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { manPage } = await import('../dist/options/man-page.js');
const { SUBCOMMANDS } = await import('../dist/cli/subcommands.js');
const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8'));
const page = manPage({
  version: pkg.version,
  bugs: pkg.bugs?.url,
  subcommands: [...SUBCOMMANDS.values()].map((c) => ({ name: c.name, summary: c.summary })),
});
mkdirSync(`${root}dist/man`, { recursive: true });
writeFileSync(`${root}dist/man/rawping.1`, page);
