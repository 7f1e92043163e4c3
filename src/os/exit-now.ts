import { loadAddon } from './native-binding.js';

/**
 * Ends the process at once with `status` (_exit). For the CLI only: process.exit() would wait
 * for a libuv thread stuck in getaddrinfo when a resolver never answers, while rawping has
 * already given up on it and said so. Every write of the CLI is synchronous, so none is lost.
 */
export function exitNow(status: number): never {
  return loadAddon().exitNow(status);
}
