// The command's exit statuses, stated once: the README's table and the man page's EXIT STATUS
// section are made from these rows (`npm run docs`, scripts/man-page.mjs). Text in backticks is
// code (a flag or a value).

/** One exit status and what it means for one target and for many. */
export interface ExitStatusRow {
  readonly status: number;
  /** Its meaning when one target is pinged (as iputils ping). */
  readonly one: string;
  /** Its meaning with many targets (as fping). */
  readonly many: string;
}

/** Every status the CLI exits with, in order. */
export const EXIT_STATUSES: readonly ExitStatusRow[] = [
  { status: 0, one: 'at least one reply (with `-c` and `-w`: `count` replies)', many: 'every target answered' },
  { status: 1, one: 'no reply (or fewer than `count` with `-c` and `-w`)', many: 'some target did not answer' },
  {
    status: 2,
    one: 'any other error: usage, bad option value, unknown host, no permission, socket failure',
    many: 'the same, or a name did not resolve',
  },
];
