import type { SocketSet } from '../index.js';
import type { SocketSpec } from '../pinger/engine.js';
import type { Output } from './output.js';
import type { SignalHub } from './signal-hub.js';

/** The sockets a command asks for: opened while the process is still privileged. */
export interface SocketRequest {
  /** Their settings (mode, ttl, tos, source, interface, broadcast): every run asks for the same. */
  spec: SocketSpec;
  /** The families to open. */
  families: (4 | 6)[];
}

/** A command line, read: what to open before the privilege drop, and what to run after it. */
export interface ParsedCommand {
  /** The sockets to open, or null when the command needs none (help, version, a usage error found later). */
  sockets: SocketRequest | null;
  /** Started as root: the user to become after the sockets are open (`name` or `uid:gid`) instead of sudo's invoking user. */
  user?: string;
  /** ping's limits for users without privilege: the message for the first one broken, or null. */
  checkLimits(privileged: boolean): string | null;
  /**
   * Runs the command after the drop and resolves with the exit status. `sockets` is the set
   * opened for `sockets` (null when none was asked for). It may throw RawpingError or
   * UsageError: one line and status 2.
   */
  run(sockets: SocketSet | null, out: Output, signals: SignalHub): Promise<number>;
}

/**
 * One command of rawping: the default (ping one target, or many as fping) or a subcommand
 * (`rawping <name> ...`). Its parse runs before anything is opened or dropped, so it reads
 * argv only: no file, no name lookup, no output.
 */
export interface Command {
  /** The word that selects it (`trace`); '' for the default command. */
  readonly name: string;
  /** One line on what it does, for the man page and shell completion. */
  readonly summary?: string;
  /** Reads argv (after the command's own name). Throws UsageError. */
  parse(argv: readonly string[]): ParsedCommand;
}
