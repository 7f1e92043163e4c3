// The node flags of the `rawping` bin (scripts/cli-launcher.cjs): the words between
// `exec node` and `"$0"` on its second line. bundle-cli.mjs makes the code cache under them,
// and test/integration/cli-launcher.test.ts checks that V8 takes the cache under them.

/** The flags in `launcher`'s text; throws when the line is not there (the cache would be made under the wrong flags). */
export function launcherFlags(launcher) {
  const line = /^":" \/\/; exec node((?: --?[\w-]+(?:=\S+)?)*) "\$0" "\$@"$/m.exec(launcher);
  if (line === null) throw new Error('the launcher has no `":" //; exec node <flags> "$0" "$@"` line');
  return line[1].trim().split(/\s+/).filter(Boolean);
}
