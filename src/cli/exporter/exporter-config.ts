// The exporter's config file: smokeping_prober's shape, so its users can bring theirs.
//
//   targets:
//   - hosts: [host1, 192.0.2.7]
//     interval: 1s        # a Go duration (default 1s)
//     network: ip         # ip (either family), ip4 or ip6 (default ip)
//     protocol: icmp      # icmp only
//     size: 56            # payload bytes (default 56)
//     source: 192.0.2.1   # source address (default: the route's)
//     tos: 0x00           # 0-255, decimal, 0x hex or 0b binary (default 0)
//     labels: {site: ams} # extra labels on every series of these hosts
//     timeout: 1s         # rawping's own: how long a probe waits (default: the interval)
//   dns_refresh: 1m       # rawping's own: how often names are looked up again (0s: never)
//
// Read strictly: a key that is not one of these, a value of the wrong type or out of range,
// and anything YAML itself finds wrong is refused with the file, line and key named. The
// text is untrusted (a name with terminal escapes is refused, and shown escaped).
import { ipVersion } from '../../packet/address.js';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair } from 'yaml';
import { escapeText } from '../../wording/escape-text.js';
import { hostProblem } from './host-name.js';
import { parseDuration } from './parse-duration.js';

/** The most targets one config may name, over all groups. */
export const MAX_TARGETS = 100_000;
/**
 * The most list items and lines a config may have, counted as commas and line ends before the
 * YAML is parsed: every host takes one of either, so a config within MAX_TARGETS has room for
 * as many lines again of groups, labels and comments. The YAML library builds a node per item
 * before any count of ours could stop it: a 2 MB flow list of a million one-letter hosts took
 * 6.5 s and 1 GB of memory to be refused; this refuses it in milliseconds.
 */
export const MAX_ITEMS = 2 * MAX_TARGETS;
/** Shortest and longest interval and timeout, ms. */
export const MIN_INTERVAL_MS = 10;
export const MAX_INTERVAL_MS = 3_600_000;
/** The labels the exporter sets itself; a group's own labels may not take these names. */
export const BUILTIN_LABELS = ['host', 'ip', 'source', 'tos'] as const;

/** One group of hosts with the same probe settings. */
export interface TargetGroup {
  /** Names or addresses, as written. */
  hosts: string[];
  /** Gap between two probes of a host, ms. */
  intervalMs: number;
  /** How long a probe waits for its reply, ms. */
  timeoutMs: number;
  /** Which family a name resolves to: either (the first address), IPv4 or IPv6. */
  network: 'ip' | 'ip4' | 'ip6';
  /** Echo payload bytes. */
  size: number;
  /** Source address, or '' for the route's. */
  source: string;
  /** IPv4 TOS / IPv6 traffic class. */
  tos: number;
  /** Extra labels, by name. */
  labels: Readonly<Record<string, string>>;
  /** Line of the file where the group starts (0 for hosts from the command line). */
  line: number;
}

/** A config, read and checked. */
export interface ExporterConfig {
  groups: TargetGroup[];
  /** Milliseconds between lookups of the names; null when the file does not say (the flag's value holds). */
  dnsRefreshMs: number | null;
}

/** A config that cannot be used; the message names the file, the line and the key. */
export class ConfigError extends Error {}

/** The settings of a group with nothing but hosts (smokeping_prober's defaults). */
export const DEFAULT_GROUP: Omit<TargetGroup, 'hosts' | 'line'> = {
  intervalMs: 1000,
  timeoutMs: 1000,
  network: 'ip',
  size: 56,
  source: '',
  tos: 0,
  labels: {},
};

const GROUP_KEYS = ['hosts', 'host', 'interval', 'timeout', 'network', 'protocol', 'size', 'source', 'tos', 'labels'];
const TOP_KEYS = ['targets', 'dns_refresh'];
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Reads a group's `tos`: a number 0-255, or text in decimal, 0x hex or 0b binary. */
function readTos(value: unknown): number | null {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^(?:[0-9]{1,3}|0x[0-9a-fA-F]{1,2}|0b[01]{1,8})$/.test(value)) {
    n = value.startsWith('0b') ? parseInt(value.slice(2), 2) : Number(value);
  } else return null;
  return Number.isInteger(n) && n >= 0 && n <= 255 ? n : null;
}

/** Parses the text of a config file named `file`. Throws ConfigError naming file, line and key. */
export function parseConfig(text: string, file: string): ExporterConfig {
  const lines = new LineCounter();
  const where = (node: { range?: [number, number, number] | null } | null | undefined): string => {
    const offset = node?.range?.[0];
    return offset === undefined ? file : `${file}:${lines.linePos(offset).line}`;
  };
  const fail = (node: { range?: [number, number, number] | null } | null | undefined, message: string): never => {
    throw new ConfigError(`${where(node)}: ${message}`);
  };
  let items = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x2c || c === 0x0a) && ++items > MAX_ITEMS) {
      throw new ConfigError(`${file}: more than ${MAX_ITEMS} lines and list items: too many for the ${MAX_TARGETS} targets a config may name`);
    }
  }
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, schema: 'core', prettyErrors: false, strict: true });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem !== undefined) {
    const line = lines.linePos(problem.pos[0]).line;
    const first = (problem.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${file}:${line}: ${escapeText(first, 200)}`);
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return { groups: [], dnsRefreshMs: null };
  if (!isMap(root)) return fail(root, 'expected a mapping with a targets list');

  let dnsRefreshMs: number | null = null;
  const groups: TargetGroup[] = [];
  let total = 0;
  for (const pair of root.items as Pair<YamlNode, YamlNode | null>[]) {
    const key = keyOf(pair, fail);
    if (!TOP_KEYS.includes(key)) return fail(pair.key, `unknown key '${escapeText(key, 40)}' (expected ${TOP_KEYS.join(', ')})`);
    if (key === 'dns_refresh') {
      dnsRefreshMs = duration(pair, 'dns_refresh', 0, 86_400_000, fail);
      continue;
    }
    const list = pair.value;
    if (list === null || (isScalar(list) && list.value === null)) continue;
    if (!isSeq(list)) return fail(list, 'targets: expected a list of groups');
    for (const item of list.items as (YamlNode | null)[]) {
      const group = readGroup(item, fail, where);
      total += group.hosts.length;
      if (total > MAX_TARGETS) return fail(item, `too many targets: more than ${MAX_TARGETS} in all`);
      groups.push(group);
    }
  }
  return { groups, dnsRefreshMs };
}

type Fail = (node: { range?: [number, number, number] | null } | null | undefined, message: string) => never;

function keyOf(pair: Pair<YamlNode, YamlNode | null>, fail: Fail): string {
  const key = pair.key;
  if (!isScalar(key) || typeof key.value !== 'string') return fail(key, 'expected a text key');
  return key.value;
}

/** A scalar's value; anything else (a list, a mapping, an alias) is refused. */
function scalar(node: YamlNode | null, name: string, fail: Fail): unknown {
  if (node === null) return fail(node, `${name}: expected a value`);
  if (!isScalar(node)) return fail(node, `${name}: expected a single value, not ${isSeq(node) ? 'a list' : isMap(node) ? 'a mapping' : 'an alias'}`);
  return node.value;
}

function duration(pair: Pair<YamlNode, YamlNode | null>, name: string, minMs: number, maxMs: number, fail: Fail): number {
  const value = scalar(pair.value, name, fail);
  const ms = typeof value === 'string' ? parseDuration(value) : value === 0 ? 0 : null;
  if (ms === null) return fail(pair.value, `${name}: expected a duration such as 1s or 500ms, not '${escapeText(String(value), 40)}'`);
  if (ms < minMs || ms > maxMs) return fail(pair.value, `${name}: ${escapeText(String(value), 40)} is out of range (${minMs}ms to ${maxMs / 1000}s)`);
  return ms;
}

function readGroup(node: YamlNode | null, fail: Fail, where: (node: YamlNode | null) => string): TargetGroup {
  if (node === null || !isMap(node)) return fail(node, 'targets: each group is a mapping with hosts');
  const line = Number(/:(\d+)$/.exec(where(node))?.[1] ?? 0);
  const hosts: string[] = [];
  let intervalMs: number = DEFAULT_GROUP.intervalMs;
  let timeoutMs: number | null = null;
  let network: TargetGroup['network'] = DEFAULT_GROUP.network;
  let size: number = DEFAULT_GROUP.size;
  let source = '';
  let tos = 0;
  const labels: Record<string, string> = {};
  const hostNode = (item: YamlNode | null, name: string): void => {
    const value = scalar(item, name, fail);
    if (typeof value !== 'string') return fail(item, `${name}: expected a host name or address, not ${typeof value === 'number' ? 'a number' : String(value)}`);
    const problem = hostProblem(value);
    if (problem !== null) return fail(item, `${name}: ${problem}`);
    hosts.push(value);
  };
  for (const pair of node.items as Pair<YamlNode, YamlNode | null>[]) {
    const key = keyOf(pair, fail);
    const value = pair.value;
    switch (key) {
      case 'hosts':
        if (value === null || !isSeq(value)) return fail(value ?? pair.key, 'hosts: expected a list of host names or addresses');
        for (const item of value.items as (YamlNode | null)[]) {
          if (hosts.length >= MAX_TARGETS) return fail(item, `hosts: too many targets: more than ${MAX_TARGETS}`);
          hostNode(item, 'hosts');
        }
        break;
      case 'host':
        hostNode(value, 'host');
        break;
      case 'interval':
        intervalMs = duration(pair, 'interval', MIN_INTERVAL_MS, MAX_INTERVAL_MS, fail);
        break;
      case 'timeout':
        timeoutMs = duration(pair, 'timeout', 1, MAX_INTERVAL_MS, fail);
        break;
      case 'network': {
        const v = scalar(value, 'network', fail);
        if (v !== 'ip' && v !== 'ip4' && v !== 'ip6') return fail(value, `network: expected ip, ip4 or ip6, not '${escapeText(String(v), 40)}'`);
        network = v;
        break;
      }
      case 'protocol': {
        const v = scalar(value, 'protocol', fail);
        if (v !== 'icmp') return fail(value, `protocol: only icmp is supported (rawping sends ICMP echo requests), not '${escapeText(String(v), 40)}'`);
        break;
      }
      case 'size': {
        const v = scalar(value, 'size', fail);
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65507)
          return fail(value, `size: expected payload bytes from 0 to 65507, not '${escapeText(String(v), 40)}'`);
        size = v;
        break;
      }
      case 'source': {
        const v = scalar(value, 'source', fail);
        if (typeof v !== 'string' || ipVersion(v) === 0) return fail(value, `source: expected an IP address, not '${escapeText(String(v), 40)}'`);
        source = v;
        break;
      }
      case 'tos': {
        const v = readTos(scalar(value, 'tos', fail));
        if (v === null) return fail(value, 'tos: expected 0-255 (decimal, 0x hex or 0b binary)');
        tos = v;
        break;
      }
      case 'labels':
        if (value === null || !isMap(value)) return fail(value ?? pair.key, 'labels: expected a mapping of label names to values');
        for (const label of value.items as Pair<YamlNode, YamlNode | null>[]) {
          const name = keyOf(label, fail);
          if (!LABEL_NAME.test(name) || name.startsWith('__'))
            return fail(label.key, `labels: invalid label name '${escapeText(name, 40)}' (letters, digits and _, not starting with a digit or __)`);
          if ((BUILTIN_LABELS as readonly string[]).includes(name)) return fail(label.key, `labels: '${name}' is set by the exporter itself`);
          const v = scalar(label.value, `labels.${name}`, fail);
          if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return fail(label.value, `labels.${name}: expected text`);
          const text = String(v);
          if (text.length > 1024) return fail(label.value, `labels.${name}: longer than 1024 characters`);
          if (/[\p{Cc}\p{Cf}]/u.test(text)) return fail(label.value, `labels.${name}: control characters in '${escapeText(text, 40)}'`);
          labels[name] = text;
        }
        break;
      default:
        return fail(pair.key, `unknown key '${escapeText(key, 40)}' in a target group (expected ${GROUP_KEYS.join(', ')})`);
    }
  }
  if (hosts.length === 0) return fail(node, 'a target group without hosts');
  return { hosts, intervalMs, timeoutMs: timeoutMs ?? intervalMs, network, size, source, tos, labels, line };
}
