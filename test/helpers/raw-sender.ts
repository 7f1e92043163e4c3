// The TypeScript side of test/helpers/raw-sender.py: hands it whole IP datagrams to put on the
// wire as they are, and learns for each whether the kernel took it. The script runs in the
// caller's network namespace (it is a child process), as root.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./raw-sender.py', import.meta.url));

/** What the script counted when its input ended. */
export interface RawSenderSummary {
  sent: number;
  /** Datagrams the kernel refused, by errno name (E22: EINVAL...). */
  refused: Record<string, number>;
}

/** One datagram for `send`. */
export interface RawDatagram {
  family: 4 | 6;
  /** 4 or 16 bytes. */
  destination: Uint8Array;
  datagram: Uint8Array;
}

export class RawSender {
  readonly #child: ChildProcessByStdio<Writable, Readable, Readable>;
  readonly #acks: ((sent: boolean) => void)[] = [];
  #ready = false;
  #tail = '';
  #stderr = '';
  readonly #started: Promise<void>;
  readonly #exited: Promise<number | null>;

  private constructor() {
    this.#child = spawn('python3', [SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stderr.setEncoding('utf8');
    this.#child.stderr.on('data', (text: string) => {
      this.#stderr += text;
    });
    this.#exited = new Promise((resolve) => this.#child.on('close', (code) => resolve(code)));
    this.#started = new Promise((resolve, reject) => {
      this.#child.on('error', reject);
      this.#child.stdout.on('data', (chunk: Buffer) => {
        let text = chunk.toString('latin1');
        if (!this.#ready) {
          const newline = text.indexOf('\n');
          if (newline < 0) return;
          this.#ready = true;
          resolve();
          text = text.slice(newline + 1);
        }
        for (const c of text) {
          const ack = c === '.' || c === '!' ? this.#acks.shift() : undefined;
          if (ack !== undefined) ack(c === '.');
          else this.#tail += c;
        }
      });
      void this.#exited.then((code) => reject(new Error(`raw-sender.py exited (${code}) before it was ready: ${this.#stderr}`)));
    });
  }

  /** Starts the script and waits until its sockets are open. */
  static async start(): Promise<RawSender> {
    const sender = new RawSender();
    await sender.#started;
    return sender;
  }

  /** Sends datagrams in order; resolves with, for each, whether the kernel took it. */
  send(datagrams: readonly RawDatagram[]): Promise<boolean[]> {
    const frames: Buffer[] = [];
    const acks: Promise<boolean>[] = [];
    for (const d of datagrams) {
      const header = Buffer.alloc(22);
      header.writeUInt8(d.family, 0);
      header.writeUInt32BE(d.datagram.length, 2);
      header.set(d.destination, 6);
      frames.push(header, Buffer.from(d.datagram.buffer, d.datagram.byteOffset, d.datagram.length));
      acks.push(new Promise((resolve) => this.#acks.push(resolve)));
    }
    this.#child.stdin.write(Buffer.concat(frames));
    return Promise.all(acks);
  }

  /** Ends its input and returns its counts. */
  async close(): Promise<RawSenderSummary> {
    this.#child.stdin.end();
    const code = await this.#exited;
    if (code !== 0) throw new Error(`raw-sender.py exited with ${code}: ${this.#stderr}`);
    const line = this.#tail.trim().split('\n').pop() ?? '';
    return JSON.parse(line) as RawSenderSummary;
  }
}
