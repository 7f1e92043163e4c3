// The CLI's privilege drop, done after its sockets are open and before it resolves names,
// reads files or prints: the process never holds root or CAP_NET_RAW while it parses
// anything from the network.
import { capabilitySets } from '../os/capabilities.js';
import { dropAllCapabilities } from '../os/process-powers.js';
import { userIds } from './user-ids.js';

/** Thrown when a drop could not be completed or verified; the CLI must not go on. */
export class PrivilegeDropError extends Error {}

function sudoIds(env: NodeJS.ProcessEnv): { uid: number; gid: number } | null {
  const uid = env.SUDO_UID;
  const gid = env.SUDO_GID;
  if (uid === undefined || gid === undefined) return null;
  if (!/^[0-9]+$/.test(uid) || !/^[0-9]+$/.test(gid)) throw new PrivilegeDropError('SUDO_UID/SUDO_GID are not numeric user and group ids');
  const ids = { uid: Number(uid), gid: Number(gid) };
  return ids.uid === 0 ? null : ids;
}

/**
 * Under sudo (euid 0 with SUDO_UID/SUDO_GID): supplementary groups, then gid, then uid
 * become the invoking user's (setuid from root also empties every capability set, in every
 * thread); verified afterwards, including that root cannot be regained. Otherwise, when the
 * process holds any capability (root without sudo, or CAP_NET_RAW granted to a user): all
 * are cleared and no_new_privs is set.
 *
 * Capabilities belong to threads, and clearing them reaches only the calling one; Node's
 * other threads (V8's workers, started before any JavaScript) would keep theirs. So a user
 * holding capabilities (CAP_NET_RAW in a container, ambient capabilities of a service) is,
 * when `reexec` is given, restarted: the process clears its own and calls it to replace itself
 * with a fresh copy that starts with none in any thread. `reexec` does not return.
 *
 * With `user` (the exporter's --user: a name or uid:gid), root becomes that user instead of
 * sudo's; a process that is not root must already be it.
 *
 * @throws PrivilegeDropError when any step fails or does not verify
 */
export function dropPrivileges(env: NodeJS.ProcessEnv = process.env, reexec?: () => never, user?: string): void {
  const euid = process.geteuid?.() ?? -1;
  let sudo = euid === 0 ? sudoIds(env) : null;
  if (user !== undefined) {
    let ids;
    try {
      ids = userIds(user);
    } catch (error) {
      throw new PrivilegeDropError((error as Error).message);
    }
    if (euid === 0) sudo = ids.uid === 0 ? null : ids;
    else if (ids.uid !== euid) throw new PrivilegeDropError(`--user ${user.slice(0, 32)}: only root may become another user`);
  }
  if (sudo !== null) {
    try {
      process.setgroups?.([sudo.gid]);
      process.setgid?.(sudo.gid);
      process.setuid?.(sudo.uid);
    } catch (error) {
      throw new PrivilegeDropError(`cannot drop root privileges to uid ${sudo.uid}: ${(error as Error).message}`);
    }
    verifyIds(sudo.uid, sudo.gid);
    try {
      process.setuid?.(0);
    } catch {
      // Expected: root is gone for good.
      verifyNoCapabilities();
      return;
    }
    throw new PrivilegeDropError('root privileges could be regained after dropping them');
  }
  const sets = capabilitySets();
  if (sets.effective === 0n && sets.permitted === 0n) return; // nothing to drop
  // Root without sudo stays root whatever its capabilities, so the restart (a second Node
  // start-up, some 50 ms) buys little there: it clears this thread's capabilities, before
  // libuv's pool has a thread to inherit them; only V8's own workers keep a copy.
  if (reexec !== undefined && euid !== 0) {
    try {
      dropAllCapabilities();
      reexec();
    } catch (error) {
      throw new PrivilegeDropError(`cannot restart without capabilities: ${(error as Error).message}`);
    }
  }
  dropAllCapabilities();
  verifyNoCapabilities();
}

function verifyIds(uid: number, gid: number): void {
  const ok =
    process.getuid?.() === uid &&
    process.geteuid?.() === uid &&
    process.getgid?.() === gid &&
    process.getegid?.() === gid &&
    (process.getgroups?.() ?? []).every((g) => g === gid);
  if (!ok) throw new PrivilegeDropError(`dropping to uid ${uid} gid ${gid} did not take effect`);
}

function verifyNoCapabilities(): void {
  const sets = capabilitySets();
  if (sets.effective !== 0n || sets.permitted !== 0n) {
    throw new PrivilegeDropError('capabilities are still held after dropping them');
  }
}
