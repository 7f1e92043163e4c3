import { escapeText } from '../wording/escape-text.js';
import { DescriptorStream } from './descriptor-stream.js';

// Where the CLI writes: file descriptors 1 and 2, written synchronously (DescriptorStream), so
// a line is out when write returns. A reader that goes away (`| head -1`)
// makes writes fail with EPIPE: from then on output is dropped and `closed` is set, so the
// run can end quietly instead of dying on an unhandled error.
//
// stdout can be buffered (`buffered = true`, for sweeps that print tens of thousands of
// lines): text is gathered and written once per turn of the event loop, or at 64 KiB, so
// a line costs no system call of its own. Text for stderr flushes stdout first, so the two
// keep their order on a terminal.
//
// Any other write failure (a full disk under `rawping ... > log`, an I/O error) is kept: the
// run goes on as ping's does, nothing more is written to stdout, and at the end `finish`
// reports `write error` and status 1, as ping does when it closes stdout.
const FLUSH_BYTES = 64 * 1024;

/** The part of a stream Output uses: a DescriptorStream, a Node stream, or a test's fake. */
export interface OutputStream {
  write(text: string): unknown;
  on(event: 'error', listener: (error: NodeJS.ErrnoException) => void): unknown;
  /** True on a terminal. */
  readonly isTTY?: boolean;
  /** A terminal's height in rows. */
  readonly rows?: number;
}

export class Output {
  closed = false;
  buffered = false;
  #onClose: () => void = () => {};
  #pending: string[] = [];
  #pendingBytes = 0;
  #flushScheduled = false;
  #writeFailed = false;

  constructor(
    readonly stdout: OutputStream = new DescriptorStream(1),
    readonly stderr: OutputStream = new DescriptorStream(2),
  ) {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EPIPE' || error.code === 'EBADF' || error.code === 'ECONNRESET') this.#close();
      else this.#writeFailed = true;
    };
    stdout.on('error', onError);
    stderr.on('error', () => {});
  }

  /** Called once when stdout's reader has gone. */
  onClose(fn: () => void): void {
    this.#onClose = fn;
  }

  #close(): void {
    if (this.closed) return;
    this.closed = true;
    this.#onClose();
  }

  out(text: string): void {
    if (this.closed) return;
    if (!this.buffered) {
      this.#write(text);
      return;
    }
    this.#pending.push(text);
    this.#pendingBytes += text.length;
    if (this.#pendingBytes >= FLUSH_BYTES) this.flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes whatever is buffered for stdout. */
  flush(): void {
    this.#flushScheduled = false;
    if (this.#pending.length === 0) return;
    const text = this.#pending.join('');
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#write(text);
  }

  /** True once a write to stdout failed for a reason other than its reader going away. */
  get writeFailed(): boolean {
    return this.#writeFailed;
  }

  /**
   * Call when the command is done, with its exit status: writes what is buffered, lets the
   * stream report a failed write (it does so on a later tick), and returns 1 after saying
   * `write error` if one failed, else `status`.
   */
  async finish(status: number): Promise<number> {
    this.flush();
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!this.#writeFailed) return status;
    this.error('write error');
    return 1;
  }

  #write(text: string): void {
    if (this.closed || this.#writeFailed) return;
    try {
      this.stdout.write(text);
    } catch {
      this.#close();
    }
  }

  line(text: string): void {
    this.out(`${text}\n`);
  }

  err(text: string): void {
    this.flush();
    try {
      this.stderr.write(text);
    } catch {
      // Nowhere left to report to.
    }
  }

  /**
   * `rawping: <message>` on stderr. The message may quote argv (an option's value, an unknown
   * option's name), so no control character of it reaches the terminal raw.
   */
  error(message: string): void {
    this.err(`rawping: ${escapeText(message, 4096, true)}\n`);
  }

  /** True when stderr is a terminal (progress bars, colours). */
  get stderrIsTty(): boolean {
    return this.stderr.isTTY === true;
  }
}
