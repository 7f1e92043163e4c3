// The third-party notices of the CLI bundle: every npm package esbuild put into
// dist/cli/main.bundle.js, found from esbuild's metafile (so a package added to the CLI is
// listed without anyone naming it here), with its name, version, licence and its own licence
// text, copied from the files the package ships. scripts/bundle-cli.mjs writes the result to
// dist/THIRD-PARTY-NOTICES.md at build time; the tarball carries it.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

// A package's licence texts: LICENSE, LICENCE, COPYING, NOTICE, with any extension.
const LICENCE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i;

/** The package directories (relative to `root`) that the bundle's inputs come from, sorted by package name. */
export function bundledPackageDirs(metafile) {
  const dirs = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    // The innermost node_modules/<name> or node_modules/@scope/<name> of the path.
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/\\/g, '/'));
    if (m !== null) dirs.add(m[1]);
  }
  return [...dirs];
}

/**
 * The notices text for `metafile`'s packages, read under `root`. Throws when a bundled package
 * ships no licence text: a notice cannot be made up, so the build stops and says which.
 */
export function thirdPartyNotices(metafile, root, productName) {
  const entries = bundledPackageDirs(metafile).map((dir) => {
    const full = join(root, dir);
    const pkg = JSON.parse(readFileSync(join(full, 'package.json'), 'utf8'));
    const licence = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'see the text below');
    const files = readdirSync(full)
      .filter((name) => LICENCE_FILE.test(name))
      .sort();
    if (files.length === 0) throw new Error(`${pkg.name}@${pkg.version} (${dir}) is bundled into the CLI but ships no licence file`);
    const texts = files.map((name) => readFileSync(join(full, name), 'utf8').trim());
    return { name: pkg.name, version: pkg.version, licence, homepage: typeof pkg.homepage === 'string' ? pkg.homepage : undefined, files, texts };
  });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out = [
    `# Third-party notices`,
    '',
    `${productName}'s command-line program (dist/cli/main.bundle.js) includes the following npm packages.`,
    'Their licences and copyright notices follow, as each package ships them.',
    '',
    ...entries.map((e) => `- ${e.name} ${e.version} (${e.licence})`),
    '',
  ];
  for (const e of entries) {
    out.push(`## ${e.name} ${e.version}`, '', `Licence: ${e.licence}${e.homepage !== undefined ? `; ${e.homepage}` : ''}`, '');
    e.files.forEach((file, i) => {
      out.push(`${file}:`, '', '````', e.texts[i], '````', '');
    });
  }
  return out.join('\n');
}
