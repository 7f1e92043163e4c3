// The live table on a terminal: each frame is written over the last one in a single write
// (the cursor goes back up and every line is rewritten and cleared to its end), so the screen
// never goes blank between two frames; the cursor is hidden while it runs and shown again at
// the end, on Ctrl-C and on failure alike (the caller's `finally`).
import type { Output } from '../output.js';

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
const CLEAR_TO_END_OF_LINE = '\x1b[K';
const CLEAR_BELOW = '\x1b[J';

/** A frame of lines redrawn in place. */
export class LiveView {
  readonly #out: Output;
  #drawn = 0;
  #open = true;

  constructor(out: Output) {
    this.#out = out;
    out.out(HIDE_CURSOR);
  }

  /**
   * Draws `lines` where the last frame was. A frame taller than the terminal is cut to fit
   * (the cursor cannot go back above the top of the screen).
   */
  draw(lines: readonly string[]): void {
    if (!this.#open) return;
    const rows = this.#out.stdout.rows;
    const shown =
      rows !== undefined && rows > 1 && lines.length > rows - 1 ? [...lines.slice(0, rows - 2), `... ${lines.length - rows + 2} more lines`] : lines;
    let text = this.#drawn > 0 ? `\r\x1b[${this.#drawn}A` : '';
    for (const line of shown) text += `${line}${CLEAR_TO_END_OF_LINE}\n`;
    this.#out.out(`${text}${CLEAR_BELOW}`);
    this.#drawn = shown.length;
  }

  /** Shows the cursor again; the last frame stays on the screen. Idempotent. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#out.out(SHOW_CURSOR);
  }
}
