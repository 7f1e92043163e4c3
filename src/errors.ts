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
 * rawping's native addon could not be loaded: neither built from source
 * (build/Release/rawping.node) nor shipped prebuilt for this platform, architecture and C
 * library, or built for another machine. The message names each file tried and says how to
 * build it.
 */
export class AddonError extends RawpingError {
  /** The file whose failure the message leads with: the first that exists but would not load, else the first tried. */
  readonly path: string;
  /** Every file tried, in order. */
  readonly tried: readonly string[];

  constructor(path: string, message: string, options?: { cause?: unknown; tried?: readonly string[] }) {
    super('ERR_RAWPING_ADDON', message, { cause: options?.cause });
    this.path = path;
    this.tried = options?.tried ?? [path];
  }
}

/** The operation was aborted through an AbortSignal. */
export class AbortError extends RawpingError {
  constructor(options?: { cause?: unknown }) {
    super('ABORT_ERR', 'The operation was aborted', options);
  }
}
