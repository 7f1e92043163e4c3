// The CLI's privilege drop, done after its sockets are open and before it resolves names,
// reads files or prints: the process never holds root or CAP_NET_RAW while it parses
// anything from the network.
import { capabilitySets } from '../os/capabilities.js';
import { processIds, type ProcessIds } from '../os/process-ids.js';
import { dropAllCapabilities } from '../os/process-powers.js';
import { userIds } from './user-ids.js';

/** Thrown when a drop could not be completed or verified; the CLI must not go on. */
export class PrivilegeDropError extends Error {}

/**
 * Why rawping refuses to run, in one line, when the process's user or group ids disagree (real,
 * effective, saved): a setuid or setgid copy of node. Null when they agree.
 *
 * Such a process runs for one user with another's powers and an environment and arguments the
 * first one chose; rawping would read `--file` as root and echo its lines in messages. Rather
 * than guess which of the two it should be, it stops before it loads or reads anything; sudo,
 * CAP_NET_RAW or ping_group_range give it what it needs (README: Privileges).
 */
export function setIdRefusal(ids: ProcessIds = processIds()): string | null {
  const [ruid, euid, suid] = ids.uid;
  const [rgid, egid, sgid] = ids.gid;
  if (ruid === euid && ruid === suid && rgid === egid && rgid === sgid) return null;
  const which =
    ruid !== euid || ruid !== suid ? `user ids (real ${ruid}, effective ${euid}, saved ${suid})` : `group ids (real ${rgid}, effective ${egid}, saved ${sgid})`;
  return `real and effective ${which} differ, as in a setuid or setgid node: refusing to run (use sudo, CAP_NET_RAW or ping_group_range instead)`;
}

function sudoIds(env: NodeJS.ProcessEnv): { uid: number; gid: number } | null {
  const uid = env.SUDO_UID;
  const gid = env.SUDO_GID;
  if (uid === undefined || gid === undefined) return null;
  if (!/^[0-9]+$/.test(uid) || !/^[0-9]+$/.test(gid)) throw new PrivilegeDropError('SUDO_UID/SUDO_GID are not numeric user and group ids');
  const ids = { uid: Number(uid), gid: Number(gid) };
  return ids.uid === 0 ? null : ids;
}

/**
 * Under sudo (euid 0 with SUDO_UID/SUDO_GID): supplementary groups (the user's, as sudo gives
 * them: initgroups over SUDO_UID's passwd entry), then gid, then uid become the invoking
 * user's (setuid from root also empties every capability set, in every thread); verified
 * afterwards, including that root cannot be regained. Otherwise, when the
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
    let groups: number[];
    try {
      groups = setUserGroups(sudo.uid, sudo.gid);
      process.setgid?.(sudo.gid);
      process.setuid?.(sudo.uid);
    } catch (error) {
      throw new PrivilegeDropError(`cannot drop root privileges to uid ${sudo.uid}: ${(error as Error).message}`);
    }
    verifyIds(sudo.uid, sudo.gid, groups);
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

/**
 * Gives the process the supplementary groups sudo gives the user: initgroups(3) over the
 * passwd entry of `uid` (its name, then every group that lists it, plus `gid`). A uid with no
 * passwd entry (an id made up in a container, say) gets `gid` alone, as before. Returns the
 * groups set, read back, for the verification after the drop.
 */
function setUserGroups(uid: number, gid: number): number[] {
  // Node has had process.initgroups since 0.9; @types/node 20 does not declare it.
  const initgroups = (process as NodeJS.Process & { initgroups?: (user: string | number, extraGroup: string | number) => void }).initgroups;
  try {
    if (initgroups === undefined) throw Object.assign(new Error('no initgroups'), { code: 'ERR_UNKNOWN_CREDENTIAL' });
    initgroups(uid, gid);
  } catch (error) {
    // No passwd entry for the uid (or no initgroups): nothing to take groups from.
    if ((error as { code?: unknown }).code !== 'ERR_UNKNOWN_CREDENTIAL') throw error;
    process.setgroups?.([gid]);
  }
  return [...processIds().groups];
}

function verifyIds(uid: number, gid: number, groups: readonly number[]): void {
  const now = processIds().groups;
  const ok =
    process.getuid?.() === uid &&
    process.geteuid?.() === uid &&
    process.getgid?.() === gid &&
    process.getegid?.() === gid &&
    now.length === groups.length &&
    now.every((g) => groups.includes(g));
  if (!ok) throw new PrivilegeDropError(`dropping to uid ${uid} gid ${gid} did not take effect`);
}

function verifyNoCapabilities(): void {
  const sets = capabilitySets();
  if (sets.effective !== 0n || sets.permitted !== 0n) {
    throw new PrivilegeDropError('capabilities are still held after dropping them');
  }
}
