// The error classes rawping's library throws or rejects with. Every one has a stable `code`
// so callers (the CLI among them) branch on it, never on message text.

/** Base class of every rawping error. */
export class RawpingError extends Error {
  /** Stable machine-readable code, e.g. 'ERR_RAWPING_OPTION'. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** An option or argument is out of range or malformed. `option` names it as the caller spelled it. */
export class OptionError extends RawpingError {
  /** The option's name (library key, or CLI flag when the CLI validated it). */
  readonly option: string;

  constructor(option: string, message: string) {
    super('ERR_RAWPING_OPTION', message);
    this.option = option;
  }
}

/** A target name could not be resolved (unknown name, no address of the wanted family, timeout). */
export class ResolveError extends RawpingError {
  /** The target as given. */
  readonly target: string;

  constructor(target: string, message: string, options?: { cause?: unknown }) {
    super('ERR_RAWPING_RESOLVE', message, options);
    this.target = target;
  }
}

/**
 * No ICMP socket could be opened for lack of privilege. The message says what to do: run
 * with sudo, grant CAP_NET_RAW, or widen net.ipv4.ping_group_range (with its current value).
 */
export class PermissionError extends RawpingError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_RAWPING_PERMISSION', message, options);
  }
}

/** A socket operation failed for a reason other than privilege. Carries the system error's fields. */
export class SocketError extends RawpingError {
  /** errno name, e.g. 'EHOSTUNREACH'. */
  readonly errnoCode: string;
  /** Negative errno, as Node reports it. */
  readonly errno: number;
  /** The failing system call, e.g. 'sendto'. */
  readonly syscall: string;
  /** What the call was about, when known: an address, an interface, an option name. */
  readonly detail: string | undefined;

  constructor(errnoCode: string, errno: number, syscall: string, message: string, options?: { cause?: unknown; detail?: string }) {
    super('ERR_RAWPING_SOCKET', message, options);
    this.errnoCode = errnoCode;
    this.errno = errno;
    this.syscall = syscall;
    this.detail = options?.detail;
  }
}

/**
 * rawping's native addon (build/Release/rawping.node) could not be loaded: not built (an
 * install that ran no scripts), or built for another Node. The message says how to rebuild it.
 */
export class AddonError extends RawpingError {
  /** The file that was tried. */
  readonly path: string;

  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super('ERR_RAWPING_ADDON', message, options);
    this.path = path;
  }
}

/** The operation was aborted through an AbortSignal. */
export class AbortError extends RawpingError {
  constructor(options?: { cause?: unknown }) {
    super('ABORT_ERR', 'The operation was aborted', options);
  }
}
