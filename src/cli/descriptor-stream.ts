// What the CLI writes to by default: stdout or stderr as a descriptor, written with
// write(2) through fs.writeSync. Node's own process.stdout writes synchronously too on Linux
// (files, pipes, terminals), but making it loads the stream machinery and, for a pipe or a
// terminal, node:net: 4 ms of every start of a command that prints three lines. A failed write
// is reported as the streams report it, with an 'error' event, so Output treats both alike.
import { EventEmitter } from 'node:events';
import { writeSync } from 'node:fs';
import { isTerminal } from '../os/is-terminal.js';

// A descriptor shared with another process may have been left non-blocking: a full pipe then
// answers EAGAIN, and the write waits for it as a blocking write would, a millisecond at a time.
const pause = new Int32Array(new SharedArrayBuffer(4));

/** stdout (1) or stderr (2) as the part of a NodeJS.WriteStream that Output uses. */
export class DescriptorStream extends EventEmitter {
  #tty: boolean | undefined;

  constructor(readonly fd: 1 | 2) {
    super();
  }

  /** True on a terminal, undefined otherwise (as a WriteStream's isTTY). */
  get isTTY(): true | undefined {
    this.#tty ??= isTerminal(this.fd);
    return this.#tty ? true : undefined;
  }

  /** The terminal's height in rows, from Node's stream for it (made only when asked). */
  get rows(): number | undefined {
    if (this.isTTY !== true) return undefined;
    return (this.fd === 1 ? process.stdout : process.stderr).rows;
  }

  /** Writes all of `text`; a failure is emitted as 'error' (an ErrnoException), never thrown. */
  write(text: string): boolean {
    let bytes = Buffer.from(text);
    try {
      while (bytes.length > 0) {
        try {
          bytes = bytes.subarray(writeSync(this.fd, bytes));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
          Atomics.wait(pause, 0, 0, 1);
        }
      }
    } catch (error) {
      this.emit('error', error);
      return false;
    }
    return true;
  }
}
