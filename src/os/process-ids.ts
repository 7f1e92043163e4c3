// The process's user and group ids, all four of each, as the kernel keeps them: Node shows
// only the real and effective ones, and a setuid program differs in the saved one too.
import { readFileSync } from 'node:fs';

/** Real, effective, saved and filesystem ids, in that order (the Uid:/Gid: lines of /proc/self/status). */
export interface ProcessIds {
  uid: readonly [number, number, number, number];
  gid: readonly [number, number, number, number];
  /**
   * The supplementary groups exactly as the kernel holds them (the Groups: line), unlike
   * process.getgroups(), which adds the effective gid when it is not among them.
   */
  groups: readonly number[];
}

function idsOf(status: string, field: 'Uid' | 'Gid'): [number, number, number, number] | null {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s*$`, 'm').exec(status);
  return m === null ? null : [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])];
}

/**
 * The ids of this process, from /proc/self/status; where that cannot be read, the real and
 * effective ids Node gives, standing in for the saved and filesystem ones too, and Node's groups.
 */
export function processIds(): ProcessIds {
  try {
    const status = readFileSync('/proc/self/status', 'latin1');
    const uid = idsOf(status, 'Uid');
    const gid = idsOf(status, 'Gid');
    const groups = /^Groups:([\d\s]*)$/m.exec(status)?.[1];
    if (uid !== null && gid !== null && groups !== undefined) return { uid, gid, groups: groups.split(/\s+/).filter(Boolean).map(Number) };
  } catch {
    // below
  }
  const [ruid, euid, rgid, egid] = [process.getuid?.() ?? -1, process.geteuid?.() ?? -1, process.getgid?.() ?? -1, process.getegid?.() ?? -1];
  return { uid: [ruid, euid, euid, euid], gid: [rgid, egid, egid, egid], groups: process.getgroups?.() ?? [] };
}
