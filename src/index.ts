// rawping's public API. Everything a program needs is exported here; nothing here prints,
// exits, or changes the process's privileges.
export { isReachable, type ReachableOptions } from './is-reachable.js';
export { ping } from './ping.js';
export { pingMany } from './ping-many.js';
export { pingEach, type EachOptions } from './ping-each.js';
export { createPinger } from './create-pinger.js';
export { resolve, type ResolveTargetOptions } from './resolve-target.js';
export type { ResolvedTarget } from './pinger/target-state.js';
export { openSockets, type OpenedSocket, type OpenSocketsResult } from './open-sockets.js';
export type { Pinger } from './pinger/pinger.js';
export type { PingOptions } from './options.js';
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
export type { RttSummary } from './stats.js';
export { RawpingError, OptionError, ResolveError, PermissionError, SocketError, AbortError, AddonError } from './errors.js';
