// What the exporter accepts as a target: a host name (letters, digits, '-', '_' and dots) or an
// IP address (IPv6 with an optional %zone). Anything else, terminal escapes included, is
// refused before it reaches a resolver, a label or a log line.
import { ipVersion } from '../../packet/address.js';
import { escapeText } from '../../wording/escape-text.js';

const HOST_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})$/;

/** Why `host` is not a host name or address, or null when it is one. */
export function hostProblem(host: string): string | null {
  if (host.length === 0) return 'an empty host';
  if (host.length > 253) return `a host of ${host.length} characters (at most 253)`;
  const bare = host.replace(/%[A-Za-z0-9_.-]{1,15}$/, '');
  if (ipVersion(bare) !== 0) return null;
  if (!HOST_NAME.test(host) || host.includes('..')) return `an invalid host '${escapeText(host, 64)}' (a host name or IP address)`;
  return null;
}
