// Where the CLI writes. stdout and stderr are synchronous on Linux for files, pipes and
// terminals, so a line is out when write returns. A reader that goes away (`| head -1`)
// makes writes fail with EPIPE: from then on output is dropped and `closed` is set, so the
// run can end quietly instead of dying on an unhandled error.
export class Output {
  closed = false;
  #onClose: () => void = () => {};

  constructor(
    readonly stdout: NodeJS.WriteStream = process.stdout,
    readonly stderr: NodeJS.WriteStream = process.stderr,
  ) {
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EPIPE' || error.code === 'EBADF' || error.code === 'ECONNRESET') this.#close();
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
    try {
      this.stderr.write(text);
    } catch {
      // Nowhere left to report to.
    }
  }

  /** `rawping: <message>` on stderr. */
  error(message: string): void {
    this.err(`rawping: ${message}\n`);
  }

  /** True when stderr is a terminal (progress bars, colours). */
  get stderrIsTty(): boolean {
    return this.stderr.isTTY === true;
  }
}
