// Test hosts made of Linux network namespaces, so that no test ever sends a packet to an
// address outside this machine: a `client` namespace where rawping runs, a `router`
// namespace that forwards (and answers with ICMP errors), and `host` namespaces behind it,
// joined by veth pairs, over IPv4 (10.250.0.0/16) and IPv6 (fd00:250::/32). These ranges
// exist only inside the namespaces; the router has no route out of them.
//
//   client 10.250.1.2 ── 10.250.1.1 router 10.250.N.1 ── 10.250.N.2 host (or a further router)
//                                   └── blackhole routes; routers holding unreachable routes
//
// Namespace names are `rawping-<pid>-<random>-<role>`: unique per run, and the pid lets a
// later run sweep namespaces left behind by a process that died without cleaning up.
// Interfaces are created directly inside their namespaces, so their (short) names never
// meet the root namespace's or another run's.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

const PREFIX = 'rawping-';
const NAME = /^rawping-(\d+)-[0-9a-f]{4}-/;
/** Every setup command is bounded; a hung `ip` must not hang the suite. */
const COMMAND_TIMEOUT_MS = 10_000;

// The lab's tools (ip, sysctl, nft) run without the sanitizer runtime that npm run test:asan
// preloads for node: ASan would report iproute2's own overlapping strncpy in `ip route`.
const { LD_PRELOAD: _preload, ...TOOL_ENV } = process.env;

/** Runs a command (never through a shell) and returns its stdout; throws with its stderr. */
export function sh(file: string, args: readonly string[]): string {
  try {
    return execFileSync(file, args, { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'], env: TOOL_ENV });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${file} ${args.join(' ')}: ${(e.stderr ?? '').trim() || e.message}`, { cause: error });
  }
}

/** Runs `file args` inside namespace `ns` (`ip netns exec`) and returns its stdout. */
export function nsExec(ns: string, file: string, args: readonly string[] = []): string {
  return sh('ip', ['netns', 'exec', ns, file, ...args]);
}

/** The argv prefix that runs a program inside `ns`; `ip netns exec` execs it (same pid). */
export function nsPrefix(ns: string): string[] {
  return ['ip', 'netns', 'exec', ns];
}

/**
 * Sets sysctls (`name=value`) inside `ns` by writing /proc/sys from a process in it (which
 * is what makes the value per-namespace), without needing procps' `sysctl` binary.
 */
export function nsSysctl(ns: string, ...settings: string[]): void {
  for (const setting of settings) {
    const eq = setting.indexOf('=');
    const path = `/proc/sys/${setting.slice(0, eq).replace(/\./g, '/')}`;
    try {
      execFileSync('ip', ['netns', 'exec', ns, 'tee', path], { input: setting.slice(eq + 1), timeout: COMMAND_TIMEOUT_MS, stdio: ['pipe', 'ignore', 'pipe'] });
    } catch (error) {
      throw new Error(`sysctl ${setting} in ${ns}: ${String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim()}`, { cause: error });
    }
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function listNamespaces(): string[] {
  return sh('ip', ['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => name.length > 0);
}

/** Deletes a namespace after killing the processes left in it (all started by the tests). */
function deleteNamespace(ns: string): void {
  try {
    for (const pid of sh('ip', ['netns', 'pids', ns]).split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  } catch {
    // the namespace may be gone already
  }
  try {
    sh('ip', ['netns', 'del', ns]);
  } catch {
    // idem
  }
}

/**
 * Deletes namespaces with this helper's prefix whose creating process no longer exists
 * (a run killed with SIGKILL cannot clean up after itself). Namespaces of live runs stay.
 */
export function sweepStaleNamespaces(): string[] {
  const swept: string[] = [];
  for (const ns of listNamespaces()) {
    const m = NAME.exec(ns);
    if (m === null || pidAlive(Number(m[1]))) continue;
    deleteNamespace(ns);
    swept.push(ns);
  }
  return swept;
}

let support: string | null | undefined;

/**
 * Null when test namespaces can be made here (root, `ip` present, `ip netns add` and veth
 * pairs work), else the reason, for `test(..., { skip: reason })`. Probed once per process.
 * Tests import it from skip-reasons.ts with the other reasons; it lives here, beside the
 * namespace code it exercises.
 */
export function netnsSkipReason(): string | null {
  if (support !== undefined) return support;
  if (process.platform !== 'linux') return (support = 'network namespaces need Linux');
  if (process.geteuid?.() !== 0) return (support = 'needs root to create network namespaces');
  const probe = `${PREFIX}${process.pid}-${randomBytes(2).toString('hex')}-probe`;
  try {
    sh('ip', ['netns', 'add', probe]);
    sh('ip', ['-n', probe, 'link', 'add', 'probe0', 'type', 'veth', 'peer', 'name', 'probe1']);
    support = null;
  } catch (error) {
    support = `cannot create network namespaces with veth pairs here (${(error as Error).message.slice(0, 120)})`;
  } finally {
    deleteNamespace(probe);
  }
  return support;
}

/** An address pair of one namespace or route: IPv4 and IPv6. */
export interface Addresses {
  ip4: string;
  ip6: string;
}

/** A host made by `addHost`. */
export interface TestHost extends Addresses {
  ns: string;
  /** The routers on the way from the client, first the main router: their addresses as the client sees ICMP errors from them. */
  routers: Addresses[];
  /** Their namespaces, in the same order. */
  routerNamespaces: string[];
}

/** What `addPathChange` made: a host two routers away by either of two second routers. */
export interface PathChange extends Addresses {
  ns: string;
  /** The second routers (hop 2), as the client sees ICMP errors from them: first the one in use. */
  via: [Addresses, Addresses];
  /** Moves the main router's route to the host from the first second router to the other. */
  change(): void;
}

/** What `addUnreachable` made: the unreachable address and the router that answers for it. */
export interface UnreachableTarget extends Addresses {
  router: Addresses;
}

/** Options of `addHost`. */
export interface HostOptions {
  /** Routers between client and host, the main router included (default 1: replies come with ttl 63). */
  hops?: number;
  /** false: the kernel ignores echo requests (icmp_echo_ignore_all, both families). Default true. */
  echo?: boolean;
}

const labs = new Set<NetnsLab>();
let handlersInstalled = false;

// Teardown on every way out: after() in the tests, process exit, and SIGINT/SIGTERM to the
// test process (whose default action would skip 'exit' handlers and leak the namespaces).
function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const lab of labs) lab.destroy();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      for (const lab of labs) lab.destroy();
      process.kill(process.pid, signal);
    });
  }
}

/**
 * A client, a router and hosts in network namespaces. Create with `NetnsLab.create()` (after
 * checking `netnsSkipReason()`), call `destroy()` in `after()`; it is also destroyed when the
 * process exits or is interrupted. Setup is synchronous (`ip` calls take milliseconds), so a
 * failure throws at the line that caused it.
 */
export class NetnsLab {
  /** The namespace where the tool under test runs. */
  readonly client: string;
  /** The main router. */
  readonly router: string;
  /** The client's addresses. */
  readonly clientAddresses: Addresses = { ip4: '10.250.1.2', ip6: 'fd00:250:1::2' };
  /** The main router's addresses on the client's link (the source of its ICMP errors). */
  readonly routerAddresses: Addresses = { ip4: '10.250.1.1', ip6: 'fd00:250:1::1' };
  readonly #namespaces: string[] = [];
  readonly #id: string;
  #nextSubnet = 10;
  #nextName = 1;
  #destroyed = false;

  private constructor() {
    this.#id = `${PREFIX}${process.pid}-${randomBytes(2).toString('hex')}`;
    this.client = `${this.#id}-client`;
    this.router = `${this.#id}-router`;
  }

  /** Sweeps stale namespaces, then builds client and router with IPv4 and IPv6 between them. */
  static create(): NetnsLab {
    sweepStaleNamespaces();
    installHandlers();
    const lab = new NetnsLab();
    labs.add(lab);
    try {
      lab.#addNamespace(lab.client);
      lab.#addNamespace(lab.router);
      lab.#makeRouter(lab.router);
      lab.#link(lab.router, 'down0', lab.routerAddresses, lab.client, 'up0', lab.clientAddresses);
      lab.#defaultRoutes(lab.client, lab.routerAddresses);
    } catch (error) {
      lab.destroy();
      throw error;
    }
    return lab;
  }

  /** A namespace with loopback up and nothing else (no route anywhere; name lookups fail at once). */
  addIsolated(sysctls: string[] = []): string {
    const ns = `${this.#id}-iso${this.#nextName++}`;
    this.#addNamespace(ns);
    if (sysctls.length > 0) nsSysctl(ns, ...sysctls);
    return ns;
  }

  /**
   * A host behind the router (through `hops - 1` further routers), reachable from the client
   * only with ttl > `hops - 1`; its replies reach the client with ttl 64 - hops.
   */
  addHost(options: HostOptions = {}): TestHost {
    const hops = options.hops ?? 1;
    if (!Number.isInteger(hops) || hops < 1 || hops > 8) throw new RangeError('hops: 1 to 8');
    const chain = [this.router];
    const routers: Addresses[] = [this.routerAddresses];
    for (let i = 1; i < hops; i++) {
      const r = this.#attach(chain, routers, 'r');
      this.#makeRouter(r.ns);
      chain.push(r.ns);
      routers.push({ ip4: r.ip4, ip6: r.ip6 });
    }
    const host = this.#attach(chain, routers, 'host');
    if (options.echo === false) nsSysctl(host.ns, 'net.ipv4.icmp_echo_ignore_all=1', 'net.ipv6.icmp.echo_ignore_all=1');
    return { ...host, routers, routerNamespaces: chain };
  }

  /**
   * A host behind the main router by one of two second routers, A and B, each linked to it;
   * its address (on its loopback) is routed by the main router through A until `change()`
   * moves that route to B: the path changes at hop 2, and the host stays three hops away.
   * The host answers through A whatever the route (replies need no symmetry).
   */
  addPathChange(): PathChange {
    const [a, b] = [this.#attach([this.router], [this.routerAddresses], 'pa'), this.#attach([this.router], [this.routerAddresses], 'pb')];
    this.#makeRouter(a.ns);
    this.#makeRouter(b.ns);
    const n = this.#nextName++;
    const ns = `${this.#id}-ph${n}`;
    this.#addNamespace(ns);
    const address = this.#subnet();
    const target = { ip4: `${address.ip4}.9`, ip6: `${address.ip6}::9` };
    sh('ip', ['-n', ns, 'addr', 'add', `${target.ip4}/32`, 'dev', 'lo']);
    sh('ip', ['-n', ns, '-6', 'addr', 'add', `${target.ip6}/128`, 'dev', 'lo']);
    const host32 = { ip4: `${target.ip4}/32`, ip6: `${target.ip6}/128` };
    for (const [router, ifName, hostIf] of [
      [a, `hl${n}a`, 'upa'],
      [b, `hl${n}b`, 'upb'],
    ] as const) {
      const s = this.#subnet();
      const near = { ip4: `${s.ip4}.1`, ip6: `${s.ip6}::1` };
      const far = { ip4: `${s.ip4}.2`, ip6: `${s.ip6}::2` };
      this.#link(router.ns, ifName, near, ns, hostIf, far);
      this.#route(router.ns, host32, far);
      if (router === a) this.#defaultRoutes(ns, near);
    }
    this.#route(this.router, host32, a);
    return {
      ns,
      ...target,
      via: [
        { ip4: a.ip4, ip6: a.ip6 },
        { ip4: b.ip4, ip6: b.ip6 },
      ],
      change: () => {
        sh('ip', ['-n', this.router, 'route', 'replace', host32.ip4, 'via', b.ip4]);
        sh('ip', ['-n', this.router, '-6', 'route', 'replace', host32.ip6, 'via', b.ip6]);
      },
    };
  }

  /**
   * Gives routers an ICMP rate limit instead of the lab's none: net.ipv4.icmp_ratelimit and
   * net.ipv6.icmp.ratelimit of `ms` (Linux's default is 1000: a burst of 6 answers, then one
   * every `ms`, per destination).
   */
  icmpRateLimit(ms: number, ...routerNamespaces: string[]): void {
    for (const ns of routerNamespaces) nsSysctl(ns, `net.ipv4.icmp_ratelimit=${ms}`, `net.ipv6.icmp.ratelimit=${ms}`);
  }

  /**
   * An nft rule in `ns` (needs nft): `filtered` drops every ICMP error the namespace itself
   * sends (a router that answers nothing: no Time Exceeded, no unreachable; IPv6's neighbour
   * discovery, ICMPv6 too, still goes, or the router could not forward); `drop` drops echo
   * requests passing through it or arriving at it, every `every`-th one counted from the
   * first (a link that loses a fixed share of the probes, the same in every run).
   */
  nft(ns: string, rule: { filtered: true } | { drop: { every: number } }): void {
    const table = ['table', 'inet', 'rawping'];
    sh('ip', ['netns', 'exec', ns, 'nft', 'add', ...table]);
    if ('filtered' in rule) {
      sh('ip', ['netns', 'exec', ns, 'nft', 'add', 'chain', 'inet', 'rawping', 'out', '{ type filter hook output priority 0; }']);
      const v4 = '{ destination-unreachable, time-exceeded, parameter-problem }';
      const v6 = '{ destination-unreachable, packet-too-big, time-exceeded, parameter-problem }';
      sh('ip', ['netns', 'exec', ns, 'nft', 'add', 'rule', 'inet', 'rawping', 'out', 'icmp', 'type', v4, 'drop']);
      sh('ip', ['netns', 'exec', ns, 'nft', 'add', 'rule', 'inet', 'rawping', 'out', 'icmpv6', 'type', v6, 'drop']);
      return;
    }
    // One counter for both hooks and families: a named counter would do as well; numgen inc
    // in a chain both hooks jump to is the shortest.
    sh('ip', ['netns', 'exec', ns, 'nft', 'add', 'chain', 'inet', 'rawping', 'probes']);
    sh('ip', ['netns', 'exec', ns, 'nft', 'add', 'rule', 'inet', 'rawping', 'probes', 'numgen', 'inc', 'mod', String(rule.drop.every), '==', '0', 'drop']);
    for (const hook of ['forward', 'input']) {
      sh('ip', ['netns', 'exec', ns, 'nft', 'add', 'chain', 'inet', 'rawping', hook, `{ type filter hook ${hook} priority 0; }`]);
      sh('ip', ['netns', 'exec', ns, 'nft', 'add', 'rule', 'inet', 'rawping', hook, 'icmp', 'type', 'echo-request', 'jump', 'probes']);
      sh('ip', ['netns', 'exec', ns, 'nft', 'add', 'rule', 'inet', 'rawping', hook, 'icmpv6', 'type', 'echo-request', 'jump', 'probes']);
    }
  }

  /**
   * An address behind an `unreachable` route: the router that holds it answers every probe
   * with Destination Host Unreachable (IPv4) / Destination unreachable: No route (IPv6).
   *
   * Each call adds a router of its own below the main router. Why: Linux rate-limits these
   * IPv4 errors per source address with a token bucket (net.ipv4.route.error_burst: 5, then
   * one a second; a global sysctl not changed here) that it shares, per namespace, with the
   * Time Exceeded limiter, so a `-t 1` test through the same router would starve a later
   * unreachable test. A fresh router per call gives each test its own full burst of 5.
   */
  addUnreachable(): UnreachableTarget {
    const r = this.#attach([this.router], [this.routerAddresses], 'unr');
    this.#makeRouter(r.ns);
    const s = this.#subnet();
    sh('ip', ['-n', r.ns, 'route', 'add', 'unreachable', `${s.ip4}.0/24`]);
    sh('ip', ['-n', r.ns, '-6', 'route', 'add', 'unreachable', `${s.ip6}::/64`]);
    this.#route(this.router, { ip4: `${s.ip4}.0/24`, ip6: `${s.ip6}::/64` }, r);
    return { ip4: `${s.ip4}.9`, ip6: `${s.ip6}::9`, router: { ip4: r.ip4, ip6: r.ip6 } };
  }

  /** An address the main router has a `blackhole` route for: probes vanish without an answer. */
  addBlackhole(): Addresses {
    const s = this.#subnet();
    sh('ip', ['-n', this.router, 'route', 'add', 'blackhole', `${s.ip4}.0/24`]);
    sh('ip', ['-n', this.router, '-6', 'route', 'add', 'blackhole', `${s.ip6}::/64`]);
    return { ip4: `${s.ip4}.9`, ip6: `${s.ip6}::9` };
  }

  /** Deletes every namespace of this lab (killing what still runs in them). Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    labs.delete(this);
    for (const ns of [...this.#namespaces].reverse()) deleteNamespace(ns);
  }

  // A new namespace on a new subnet below the last namespace of `chain`, with a default route
  // up; every router above learns the subnet via the next router down (`routers[j + 1]` is
  // the address of `chain[j + 1]` on its upstream link).
  #attach(chain: readonly string[], routers: readonly Addresses[], role: string): Addresses & { ns: string } {
    const n = this.#nextName++;
    const ns = `${this.#id}-${role}${n}`;
    this.#addNamespace(ns);
    const s = this.#subnet();
    const up = { ip4: `${s.ip4}.1`, ip6: `${s.ip6}::1` };
    const down = { ip4: `${s.ip4}.2`, ip6: `${s.ip6}::2` };
    this.#link(chain[chain.length - 1] as string, `dn${n}`, up, ns, 'up0', down);
    this.#defaultRoutes(ns, up);
    for (let j = 0; j < chain.length - 1; j++) {
      this.#route(chain[j] as string, { ip4: `${s.ip4}.0/24`, ip6: `${s.ip6}::/64` }, routers[j + 1] as Addresses);
    }
    return { ns, ...down };
  }

  #subnet(): Addresses {
    const n = this.#nextSubnet++;
    if (n > 250) throw new RangeError('out of test subnets');
    return { ip4: `10.250.${n}`, ip6: `fd00:250:${n}` };
  }

  // DAD off before any interface exists, so IPv6 addresses are usable at once.
  #addNamespace(ns: string): void {
    sh('ip', ['netns', 'add', ns]);
    this.#namespaces.push(ns);
    nsSysctl(ns, 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0');
    sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  }

  // Forwarding on, and no per-destination rate limit on ICMP errors (Time Exceeded, all of
  // IPv6's), so every probe gets its answer. IPv4 Destination Unreachable has a limit of its
  // own: see addUnreachable.
  #makeRouter(ns: string): void {
    nsSysctl(ns, 'net.ipv4.ip_forward=1', 'net.ipv6.conf.all.forwarding=1', 'net.ipv4.icmp_ratelimit=0', 'net.ipv6.icmp.ratelimit=0');
  }

  // A veth pair created straight into the two namespaces; /24 and /64 on each end.
  #link(nsA: string, ifA: string, a: Addresses, nsB: string, ifB: string, b: Addresses): void {
    sh('ip', ['-n', nsA, 'link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB, 'netns', nsB]);
    for (const [ns, ifName, addr] of [
      [nsA, ifA, a],
      [nsB, ifB, b],
    ] as const) {
      sh('ip', ['-n', ns, 'addr', 'add', `${addr.ip4}/24`, 'dev', ifName]);
      sh('ip', ['-n', ns, '-6', 'addr', 'add', `${addr.ip6}/64`, 'dev', ifName, 'nodad']);
      sh('ip', ['-n', ns, 'link', 'set', ifName, 'up']);
    }
  }

  #defaultRoutes(ns: string, via: Addresses): void {
    sh('ip', ['-n', ns, 'route', 'add', 'default', 'via', via.ip4]);
    sh('ip', ['-n', ns, '-6', 'route', 'add', 'default', 'via', via.ip6]);
  }

  #route(ns: string, to: Addresses, via: Addresses): void {
    sh('ip', ['-n', ns, 'route', 'add', to.ip4, 'via', via.ip4]);
    sh('ip', ['-n', ns, '-6', 'route', 'add', to.ip6, 'via', via.ip6]);
  }
}
