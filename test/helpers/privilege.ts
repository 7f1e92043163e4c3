// What this process may do, so integration tests can skip with the reason instead of
// failing (or, worse, passing) where they cannot run.
import { spawnSync } from 'node:child_process';
import { openSockets } from '../../src/api/open-sockets.js';
import { PermissionError } from '../../src/errors.js';

/** Null when raw or datagram ICMP sockets of both families can be opened here, else why not. */
export function socketSkipReason(): string | null {
  // npm run test:container exists to catch sockets that will not open: there the tests must
  // run and fail, not skip.
  if (process.env.RAWPING_REQUIRE_SOCKETS === '1') return null;
  const result = openSockets({ families: [4, 6] });
  result.close();
  const denied = result.failed.find((f) => f.error instanceof PermissionError);
  if (denied !== undefined) return `no permission to open ICMP sockets here (${(denied.error as Error).message.slice(0, 80)}...)`;
  if (result.failed.length > 0) return `cannot open ICMP sockets: ${String((result.failed[0]?.error as Error).message)}`;
  return null;
}

/** Null when this process can create network namespaces and switch users (root), else why not. */
export function rootSkipReason(): string | null {
  if (process.geteuid?.() !== 0) return 'needs root (network namespaces, setpriv)';
  const probe = spawnSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
  if (probe.status !== 0) return 'cannot create network namespaces here (unshare -n failed)';
  const setpriv = spawnSync('setpriv', ['--version'], { stdio: 'ignore' });
  if (setpriv.status !== 0) return 'setpriv (util-linux) is not installed';
  return null;
}
