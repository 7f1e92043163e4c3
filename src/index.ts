// rawping's public API. Everything a program needs is exported here; nothing here prints,
// exits, or changes the process's privileges.
export { isReachable, type ReachableOptions } from './api/is-reachable.js';
export { ping } from './api/ping.js';
export { pingMany } from './api/ping-many.js';
export { pingEach, type EachOptions } from './api/ping-each.js';
export { createPinger } from './api/create-pinger.js';
export { resolve, type ResolveTargetOptions } from './api/resolve.js';
export type { ResolvedTarget } from './pinger/target-state.js';
export { openSockets, type OpenedSocket, type OpenSocketsResult } from './api/open-sockets.js';
export type { Pinger } from './api/pinger.js';
export type { PingOptions } from './options/validate-options.js';
export type {
  PingEvent,
  PingSummary,
  SentEvent,
  ReplyEvent,
  CorruptedEvent,
  LateEvent,
  TimeoutEvent,
  IcmpErrorEvent,
  SendErrorEvent,
  SummaryEvent,
} from './pinger/ping-event.js';
export type { RttSummary } from './pinger/rtt-statistics.js';
export { RawpingError, OptionError, ResolveError, PermissionError, SocketError, AbortError, AddonError } from './errors.js';
