// Ctrl-C (SIGINT) and SIGTERM end the run with its summary; Ctrl-\ (SIGQUIT) prints the
// interim status line and the run goes on. Installed once; what they do changes as the run
// moves from resolving to pinging.
export class SignalHub {
  #interrupt: (() => void) | null = null;
  #status: (() => void) | null = null;
  #interrupted = false;

  constructor(readonly target: NodeJS.Process = process) {
    const interrupt = (): void => {
      this.#interrupted = true;
      this.#interrupt?.();
    };
    target.on('SIGINT', interrupt);
    target.on('SIGTERM', interrupt);
    target.on('SIGQUIT', () => this.#status?.());
  }

  /** True once SIGINT or SIGTERM arrived. */
  get interrupted(): boolean {
    return this.#interrupted;
  }

  /** What SIGINT and SIGTERM do now; runs at once if one already came. */
  onInterrupt(fn: () => void): void {
    this.#interrupt = fn;
    if (this.#interrupted) fn();
  }

  /** What SIGQUIT does now. */
  onStatus(fn: () => void): void {
    this.#status = fn;
  }

  clear(): void {
    this.#interrupt = null;
    this.#status = null;
  }
}
