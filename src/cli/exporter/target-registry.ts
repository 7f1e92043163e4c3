// The exporter's targets: what the config asks for, each with its address and its series. A
// target is its host and labels; its address comes from a lookup, made again on a timer. A
// name that stops resolving keeps its last address (it is still probed) and counts the
// failure; an address change starts a new series under the new `ip` label.
import { ipVersion } from '../../packet/address.js';
import { resolve } from '../../index.js';
import { escapeText } from '../../wording/escape-text.js';
import type { ExporterConfig, TargetGroup } from './exporter-config.js';
import type { ProbeTarget } from './target-prober.js';
import { labelText, TargetSeries } from './target-series.js';
import type { LookupFunction } from '../../index.js';

/** Lookups in flight at once: getaddrinfo runs on libuv's small thread pool. */
const LOOKUP_CONCURRENCY = 16;

/** One target of the config. */
export interface Entry extends ProbeTarget {
  group: TargetGroup;
  /** The host is an IP literal: never looked up again. */
  literal: boolean;
  /** The custom labels' values, in the order of the label names. */
  extra: string[];
}

/** A lookup's outcome for one host. */
type Lookup = { address: string } | { error: string };

/** The label names of a config: host and ip, source and tos where a group sets them, then the groups' own, sorted. */
export function labelNamesOf(groups: readonly TargetGroup[]): { withSource: boolean; withTos: boolean; extra: string[] } {
  const extra = new Set<string>();
  for (const g of groups) for (const name of Object.keys(g.labels)) extra.add(name);
  return { withSource: groups.some((g) => g.source !== ''), withTos: groups.some((g) => g.tos !== 0), extra: [...extra].sort() };
}

/** The registry's answer to a new config: the entries to run, or why the config cannot be. */
export type Planned = { entries: Entry[]; labels: ReturnType<typeof labelNamesOf> } | { error: string };

export class TargetRegistry {
  readonly #bounds: Float64Array;
  readonly #lookup: LookupFunction | undefined;
  #entries: Entry[] = [];
  #labels: ReturnType<typeof labelNamesOf> = { withSource: false, withTos: false, extra: [] };

  constructor(bounds: readonly number[], lookup?: LookupFunction) {
    this.#bounds = Float64Array.from(bounds);
    this.#lookup = lookup;
  }

  /** The targets now. */
  get entries(): readonly Entry[] {
    return this.#entries;
  }

  /** Every target's series. */
  series(): TargetSeries[] {
    return this.#entries.map((e) => e.series);
  }

  #labelsOf(e: { host: string; group: TargetGroup; extra: string[] }, address: string, names: ReturnType<typeof labelNamesOf>): string {
    const pairs: [string, string][] = [
      ['host', e.host],
      ['ip', address],
    ];
    if (names.withSource) pairs.push(['source', e.group.source]);
    if (names.withTos) pairs.push(['tos', String(e.group.tos)]);
    names.extra.forEach((name, i) => pairs.push([name, e.extra[i] ?? '']));
    return labelText(pairs);
  }

  /**
   * Plans the targets of `config`: checks that no two have the same labels, keeps the address
   * and series of those already running (unless the label names changed), and looks up the
   * names not known yet (a literal that does not fit its group's network is an error; a name
   * that does not resolve is kept without address and retried at each refresh).
   */
  async plan(config: ExporterConfig): Promise<Planned> {
    const names = labelNamesOf(config.groups);
    const sameNames = JSON.stringify(names) === JSON.stringify(this.#labels);
    const old = new Map(this.#entries.map((e) => [e.key, e]));
    const seen = new Map<string, number>();
    const planned: Entry[] = [];
    const toLookUp: { entry: Entry; family: 0 | 4 | 6 }[] = [];
    for (const group of config.groups) {
      const extra = names.extra.map((n) => group.labels[n] ?? '');
      for (const host of group.hosts) {
        const key = JSON.stringify([host, group.source, group.tos, extra]);
        const before = seen.get(key);
        if (before !== undefined) {
          return {
            error: `host '${escapeText(host, 64)}' is listed twice with the same labels (groups at lines ${before} and ${group.line}): its series would be one`,
          };
        }
        seen.set(key, group.line);
        const settings = { intervalMs: group.intervalMs, timeoutMs: group.timeoutMs, size: group.size, tos: group.tos, source: group.source };
        const prior = old.get(key);
        const family = group.network === 'ip4' ? 4 : group.network === 'ip6' ? 6 : 0;
        const keepAddress = prior !== undefined && prior.group.network === group.network;
        const entry: Entry = {
          key,
          host,
          address: keepAddress ? prior.address : '',
          settings,
          series: keepAddress && sameNames ? prior.series : new TargetSeries('', this.#bounds),
          group,
          literal: false,
          extra,
        };
        if (!keepAddress || entry.address === '') toLookUp.push({ entry, family });
        else entry.literal = prior.literal;
        planned.push(entry);
      }
    }
    const found = await this.#lookUpAll(toLookUp.map((t) => ({ host: t.entry.host, family: t.family })));
    for (let i = 0; i < toLookUp.length; i++) {
      const { entry, family } = toLookUp[i] as { entry: Entry; family: 0 | 4 | 6 };
      const result = found[i] as Lookup;
      const literal = isLiteral(entry.host);
      entry.literal = literal;
      if ('address' in result) entry.address = result.address;
      else if (literal) {
        return {
          error: `host '${escapeText(entry.host, 64)}' (group at line ${entry.group.line}): ${result.error}${family !== 0 ? ` (network: ip${family})` : ''}`,
        };
      } else entry.series.dnsFailures++;
    }
    for (const e of planned) e.series.labels = this.#labelsOf(e, e.address, names);
    return { entries: planned, labels: names };
  }

  /** Makes a plan the running targets. */
  adopt(plan: Extract<Planned, { entries: Entry[] }>): void {
    this.#entries = plan.entries;
    this.#labels = plan.labels;
  }

  /**
   * Looks every name up again. A new address gets a new series (the `ip` label changes); a
   * failure counts on the target's series and keeps its address. Resolves with the hosts whose
   * address changed, and those that failed with why.
   */
  async refresh(): Promise<{ changed: { host: string; from: string; to: string }[]; failed: { host: string; error: string }[] }> {
    const entries = this.#entries.filter((e) => !e.literal);
    const found = await this.#lookUpAll(entries.map((e) => ({ host: e.host, family: e.group.network === 'ip4' ? 4 : e.group.network === 'ip6' ? 6 : 0 })));
    const changed: { host: string; from: string; to: string }[] = [];
    const failed: { host: string; error: string }[] = [];
    // A config adopted while the lookups ran replaced these entries: their results are moot.
    if (entries.some((e) => !this.#entries.includes(e))) return { changed, failed };
    entries.forEach((e, i) => {
      const result = found[i] as Lookup;
      if ('error' in result) {
        e.series.dnsFailures++;
        failed.push({ host: e.host, error: result.error });
      } else if (result.address !== e.address) {
        changed.push({ host: e.host, from: e.address, to: result.address });
        const series = new TargetSeries(this.#labelsOf(e, result.address, this.#labels), this.#bounds);
        series.dnsFailures = e.series.dnsFailures;
        const next: Entry = { ...e, address: result.address, series };
        this.#entries[this.#entries.indexOf(e)] = next;
      }
    });
    return { changed, failed };
  }

  async #lookUpAll(hosts: readonly { host: string; family: 0 | 4 | 6 }[]): Promise<Lookup[]> {
    const out = new Array<Lookup>(hosts.length);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < hosts.length) {
        const i = next++;
        const { host, family } = hosts[i] as { host: string; family: 0 | 4 | 6 };
        try {
          const r = await resolve(host, { family, ...(this.#lookup !== undefined ? { lookup: this.#lookup } : {}) });
          out[i] = { address: r.address };
        } catch (error) {
          out[i] = { error: error instanceof Error ? error.message : String(error) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOOKUP_CONCURRENCY, hosts.length) }, worker));
    return out;
  }
}

function isLiteral(host: string): boolean {
  return ipVersion(host.replace(/%[^%]*$/, '')) !== 0;
}
