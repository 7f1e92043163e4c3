import { escapeText } from '../../wording/escape-text.js';

/** How long one reverse lookup may take before the address is shown bare, ms. */
const REVERSE_TIMEOUT_MS = 2000;

/**
 * Reverse DNS for -H, asked for each address once. Lines never wait for it: an address is
 * shown bare until its name is known. Names are escaped: a PTR record is text a stranger
 * chose and must not reach the terminal raw.
 */
export class ReverseNames {
  readonly #names = new Map<string, string | null>();

  /** Looks `address` up (once); resolves when known or after the timeout. */
  async lookup(address: string): Promise<void> {
    if (this.#names.has(address)) return;
    this.#names.set(address, null);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string[]>((resolve) => {
      timer = setTimeout(() => resolve([]), REVERSE_TIMEOUT_MS);
      timer.unref();
    });
    try {
      const { reverse } = await import('node:dns/promises');
      const names = await Promise.race([reverse(address).catch(() => [] as string[]), timeout]);
      const name = names[0];
      if (name !== undefined && name.length > 0) this.#names.set(address, escapeText(name, 253));
    } finally {
      clearTimeout(timer);
    }
  }

  /** `name (address)` when the name is known, else `address` (and a lookup starts). */
  display(address: string): string {
    if (!this.#names.has(address)) void this.lookup(address);
    const name = this.#names.get(address);
    return name === null || name === undefined ? address : `${name} (${address})`;
  }
}
