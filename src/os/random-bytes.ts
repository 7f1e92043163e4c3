import { callNative } from './map-native-error.js';
import { loadAddon } from './native-binding.js';

/**
 * `n` (0-256) random bytes from getrandom(2), the kernel's generator: cheaper to reach than
 * node:crypto, whose loading would cost the CLI's start-up more than everything else it needs.
 */
export function randomBytes(n: number): Uint8Array {
  return callNative(() => loadAddon().randomBytes(n));
}
