// Writes the README's option tables from the option table (npm run docs). The test
// test/options/option-docs.test.ts fails when README.md and the table disagree.
import { readFileSync, writeFileSync } from 'node:fs';
import { withOptionTables } from '../src/options/option-docs.js';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withOptionTables(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'README.md: option tables already current' : 'README.md: option tables rewritten');
