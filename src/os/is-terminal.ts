import { loadAddon } from './native-binding.js';

/**
 * Whether descriptor `fd` is a terminal (isatty(3), through the addon). node:tty's isatty
 * answers the same but loads node:net and the streams, which would cost the CLI's start-up
 * about 4 ms; false when the addon cannot load.
 */
export function isTerminal(fd: number): boolean {
  try {
    return loadAddon().isTerminal(fd);
  } catch {
    return false;
  }
}
