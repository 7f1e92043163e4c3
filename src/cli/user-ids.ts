// The ids of the user named by `--user`: `name`, `name:group`, or `uid:gid`. Names are read
// from /etc/passwd and /etc/group (world-readable files; a user known only to another NSS
// source is given as uid:gid).
import { readFileSync } from 'node:fs';

/** A user's ids. */
export interface UserIds {
  uid: number;
  gid: number;
}

/** The field of the `name` line of a colon-separated database (passwd, group), or null. */
export function lookUpEntry(text: string, name: string): string[] | null {
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name && fields.length >= 4) return fields;
  }
  return null;
}

const ID = /^[0-9]{1,10}$/;

/**
 * The ids `spec` names, reading the databases with `read` (default: the files). Throws Error
 * saying what was not found.
 */
export function userIds(spec: string, read: (path: string) => string = (path) => readFileSync(path, 'utf8')): UserIds {
  const [user = '', group] = spec.split(':', 2);
  let uid: number;
  let gid: number | undefined;
  if (ID.test(user)) uid = Number(user);
  else {
    const entry = lookUpEntry(read('/etc/passwd'), user);
    if (entry === null) throw new Error(`no user '${user.slice(0, 32)}' in /etc/passwd (give it as uid:gid)`);
    uid = Number(entry[2]);
    gid = Number(entry[3]);
  }
  if (group !== undefined) {
    if (ID.test(group)) gid = Number(group);
    else {
      const entry = lookUpEntry(read('/etc/group'), group);
      if (entry === null) throw new Error(`no group '${group.slice(0, 32)}' in /etc/group`);
      gid = Number(entry[2]);
    }
  }
  if (gid === undefined) throw new Error(`--user ${spec.slice(0, 32)}: give the group too, as uid:gid`);
  if (!Number.isInteger(uid) || !Number.isInteger(gid) || uid > 0xfffffffe || gid > 0xfffffffe) throw new Error(`--user ${spec.slice(0, 32)}: invalid ids`);
  return { uid, gid };
}
