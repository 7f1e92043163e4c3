import { AddonError } from '../errors.js';
import { loadAddon } from './native-binding.js';

/**
 * Null when the native addon loads, else the AddonError that says how to build it: every
 * command needs the addon, if only to drop privileges, so the CLI asks this first.
 */
export function addonLoadError(): AddonError | null {
  try {
    loadAddon();
    return null;
  } catch (error) {
    if (error instanceof AddonError) return error;
    throw error;
  }
}
