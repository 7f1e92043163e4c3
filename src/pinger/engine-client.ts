import type { EchoMessage, QuotedProbe } from '../packet/icmp-message.js';
import type { IpOption } from '../packet/ip-options.js';
import type { IcmpErrorReport } from './reply-accounting.js';

/**
 * What the engine needs of a run attached to it (a ping Session, a TraceSession): the
 * families whose sockets it uses, its payload size and cookie (which route answers to it), and
 * where the answers go. The engine matches identifier and cookie; the run matches the rest.
 */
export interface EngineClient {
  /** The payload cookie of the run's probes (COOKIE_BYTES bytes). */
  readonly cookie: Uint8Array;
  /** Echo payload bytes: the receive path is sized for its answers. */
  readonly config: { readonly size: number };
  /** The families the run sends on. */
  families(): ReadonlySet<4 | 6>;
  /**
   * For a run whose payload is too short for a cookie and that draws its sequences from the
   * engine's ledger: the number it is known by there (Engine.newOwner); null otherwise.
   */
  readonly owner: number | null;
  /** True when a probe `sequence` to `from` awaits its answer: a reply or error without a cookie may be for it. */
  awaits(family: 4 | 6, from: string, sequence: number): boolean;
  /** The kernel dropped `dropped` datagrams on the run's socket of `family` (`total`: over the engine's life). */
  onKernelDrops(family: 4 | 6, dropped: number, total: number): void;
  /**
   * An echo reply whose identifier and cookie match; `recvNs` is the kernel's stamp
   * (CLOCK_MONOTONIC ns), `wireBytes` the ICMP length as sent, `ipOptions` the IPv4 options
   * decoded from the reply's header (raw IPv4 sockets only). False when not the run's.
   */
  onEchoReply(
    family: 4 | 6,
    from: string,
    message: EchoMessage,
    ttl: number,
    recvNs: number,
    truncated: boolean,
    wireBytes?: number,
    ipOptions?: IpOption[] | null,
  ): boolean;
  /**
   * An ICMP error from `from` quoting a probe with a matching identifier; `recvNs` is the
   * kernel's receive stamp of the error (CLOCK_MONOTONIC ns). False when not the run's.
   */
  onIcmpError(family: 4 | 6, from: string, quoted: QuotedProbe, facts: IcmpErrorReport, recvNs: number): boolean;
}
