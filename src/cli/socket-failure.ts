import { PermissionError, SocketError } from '../index.js';
import { escapeText } from '../wording/escape-text.js';
import { strerror } from '../wording/strerror.js';

/** ping's words for a broadcast target without -b (refused by the library, or by connect). */
export const ASK_FOR_BROADCAST = 'Do you want to ping broadcast? Then -b. If not, check your local firewall rules';

/** Says why a socket could not be opened, in one line (ping's wording where it has one). `family`: the socket's. */
export function socketFailure(error: unknown, device?: string, family?: 4 | 6): string {
  if (error instanceof PermissionError) return error.message;
  if (error instanceof SocketError) {
    // ping -6 looks the name up first (if_nametoindex) and says so; -4 reports the bind.
    if (family === 6 && error.errnoCode === 'ENODEV' && device !== undefined && error.detail === device) return `unknown iface: ${escapeText(device)}`;
    if (error.syscall === 'setsockopt' && device !== undefined && error.detail === device) {
      return `SO_BINDTODEVICE ${escapeText(device)}: ${strerror(error.errnoCode)}`;
    }
    // ping's words: "bind: Cannot assign requested address" (IPv6: "bind icmp socket: ...").
    if (error.syscall === 'bind') return `${family === 6 ? 'bind icmp socket' : 'bind'}: ${strerror(error.errnoCode)}`;
    // ping's words where it has them for the socket options it sets at the start.
    const optionWords: Record<string, string> = {
      IPV6_FLOWLABEL_MGR: "can't set flowlabel",
      IPV6_FLOWINFO_SEND: "can't send flowinfo",
      MTU_DISCOVER: 'IP_MTU_DISCOVER',
      MULTICAST_LOOP: 'cannot disable multicast loopback',
      IP_OPTIONS: 'record route',
      SO_MARK: 'failed to set mark',
    };
    const words = error.syscall === 'setsockopt' && error.detail !== undefined ? optionWords[error.detail] : undefined;
    if (words !== undefined) return `${words}: ${strerror(error.errnoCode)}`;
    if (error.syscall === 'connect') return `connect failed: ${strerror(error.errnoCode)}`;
    return `${error.syscall}: ${strerror(error.errnoCode)}`;
  }
  return error instanceof Error ? error.message : String(error);
}
