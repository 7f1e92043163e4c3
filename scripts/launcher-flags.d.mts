/** The node flags on the `rawping` bin's `":" //; exec node <flags> "$0" "$@"` line; throws when there is none. */
export function launcherFlags(launcher: string): string[];
