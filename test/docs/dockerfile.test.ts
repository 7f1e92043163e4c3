// No Docker engine runs here, so the Dockerfile is checked by reading it: the image a user gets
// (its last stage) installs the packed tarball on node:*-slim with no compiler, as a non-root
// user, proves nothing was built, and runs the container smoke check; the first stage packs
// with npm's scripts on, since prepack is what builds the prebuilt addons. What the last stage
// does is what test/integration/package.test.ts does on this machine, with a PATH that has no
// compiler.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

const TEXT = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
// Continuation lines joined, comments dropped: one instruction per entry.
const INSTRUCTIONS = TEXT.replace(/\\\n/g, ' ')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'));
const STAGES = INSTRUCTIONS.reduce<string[][]>((stages, line) => {
  if (line.startsWith('FROM ')) stages.push([line]);
  else stages.at(-1)?.push(line);
  return stages;
}, []);

describe('the Dockerfile', () => {
  const final = STAGES.at(-1) ?? [];
  const pack = STAGES[0] ?? [];

  test('the final image is node:20-slim with no compiler installed, and says so if one is there', () => {
    assert.match(final[0] ?? '', /^FROM node:20-slim$/);
    assert.equal(
      final.some((l) => /apt-get install|apk add/.test(l)),
      false,
      'nothing installed with apt or apk',
    );
    assert.ok(final.some((l) => /command -v g\+\+/.test(l) && /exit 1/.test(l)));
  });

  test('it installs the packed tarball as a non-root user, checks that nothing was built, and runs the smoke check', () => {
    const user = final.findIndex((l) => /^USER app$/.test(l));
    const install = final.findIndex((l) => /npm install .*\/tmp\/rawping\.tgz/.test(l));
    assert.ok(user > 0 && install > user, 'npm install runs as the user');
    assert.match(final[install] ?? '', /test ! -e node_modules\/rawping\/build/);
    assert.match(final[install] ?? '', /prebuilds\/linux-\$\(node -p process\.arch\)\/rawping\.glibc\.node/);
    assert.ok(final.some((l) => /^COPY .*test\/container\/smoke\.mjs/.test(l)));
    assert.match(final.at(-1) ?? '', /^CMD \["node", "smoke\.mjs"\]$/);
    assert.ok(existsSync(new URL('../../test/container/smoke.mjs', import.meta.url)));
  });

  test("the final image exposes the exporter's port, and its smoke check runs the exporter", () => {
    assert.ok(final.includes('EXPOSE 9374'), 'EXPOSE 9374 (rawping exporter --listen default)');
    assert.match(readFileSync(new URL('../../test/container/smoke.mjs', import.meta.url), 'utf8'), /\[bin, 'exporter', '--listen'/);
  });

  test('the first stage packs with scripts on (prepack builds the prebuilt addons) and has the compilers for it', () => {
    assert.ok(pack.some((l) => /apt-get install .*\bg\+\+ .*g\+\+-aarch64-linux-gnu/.test(l)));
    const packLine = pack.find((l) => /npm pack/.test(l)) ?? '';
    assert.match(packLine, /npm ci && npm pack/);
    assert.doesNotMatch(packLine, /--ignore-scripts/);
    for (const copied of ['native', 'src', 'scripts', 'docs'])
      assert.ok(
        pack.some((l) => new RegExp(`^COPY ${copied} ${copied}$`).test(l)),
        copied,
      );
  });
});
