// rawping's public API. Everything a program needs is exported here; nothing here prints,
// exits, or changes the process's privileges.
export { isReachable, type ReachableOptions } from './api/is-reachable.js';
export { ping } from './api/ping.js';
export { pingMany } from './api/ping-many.js';
export { pingEach, type EachOptions } from './api/ping-each.js';
export { createPinger } from './api/create-pinger.js';
export { resolve, type ResolveTargetOptions } from './api/resolve.js';
export { openSockets, type OpenSocketsOptions } from './api/open-sockets.js';
export type { Pinger, PingerEvents } from './api/pinger.js';
export type { PingOptions } from './api/ping-options.js';
export type { SocketSet, OpenedSocket, FailedSocket } from './runtime/socket-set.js';
export type { ResolvedTarget } from './pinger/resolved-target.js';
export type { LookupFunction } from './targets/resolve-target.js';
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
export type { RttSummary, IputilsRtt } from './pinger/rtt-summary.js';
export type { IpOption, TimestampEntry, TimestampKind } from './packet/ip-options.js';
export type { PmtuMode } from './os/socket-like.js';
export { RawpingError, OptionError, ResolveError, PermissionError, SocketError, AbortError, AddonError } from './errors.js';
