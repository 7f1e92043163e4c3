// Whether this process holds no privilege at all, found without the addon (it decides, among
// other things, whether the addon's own path may come from the environment).
import { readFileSync } from 'node:fs';

// The capability sets of the main thread, in /proc/self/status as hex masks.
const CAPABILITY_FIELDS = ['CapPrm', 'CapEff', 'CapAmb'] as const;

/**
 * True when the process is not root, its real and effective user and group ids agree (no
 * setuid or setgid binary), and its main thread holds no capability (permitted, effective or
 * ambient, as /proc/self/status shows them). False when any of that cannot be read.
 */
export function isUnprivilegedProcess(): boolean {
  const uid = process.getuid?.();
  if (uid === undefined || uid === 0) return false;
  if (process.geteuid?.() !== uid || process.getgid?.() !== process.getegid?.()) return false;
  let status: string;
  try {
    status = readFileSync('/proc/self/status', 'latin1');
  } catch {
    return false;
  }
  return CAPABILITY_FIELDS.every((field) => {
    const mask = new RegExp(`^${field}:\\s*([0-9a-f]+)$`, 'm').exec(status)?.[1];
    return mask !== undefined && /^0+$/.test(mask);
  });
}
