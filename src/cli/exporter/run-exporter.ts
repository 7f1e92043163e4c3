// The exporter daemon: load the config, look the names up, probe, serve the metrics; reload
// on SIGHUP and POST /-/reload (a config that fails leaves the running one as it is), look the
// names up again on a timer, end cleanly on SIGTERM or SIGINT. Runs after the privilege drop,
// on the socket set the CLI opened before it.
import type { Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { SocketSet } from '../../index.js';
import type { Output } from '../output.js';
import type { SignalHub } from '../signal-hub.js';
import { EventLog } from './event-log.js';
import type { ExporterOptions } from './exporter-command.js';
import { ConfigError, DEFAULT_GROUP } from './exporter-config.js';
import { TargetExposition } from './exposition.js';
import { loadConfig, type LoadedConfig } from './load-config.js';
import { startMetricsServer } from './metrics-server.js';
import { formatDuration } from './parse-duration.js';
import { SocketPool } from './socket-pool.js';
import { TargetProber } from './target-prober.js';
import { TargetRegistry } from './target-registry.js';

/** The process-wide families: prom-client's process and Node.js metrics, and the exporter's own. */
function processMetrics(
  version: string,
  pool: SocketPool,
): {
  registry: Registry;
  reloadOk: Gauge;
  configInfo: Gauge;
  reloadTime: Gauge;
  targets: Gauge;
  proberErrors: Counter;
  dnsLookups: Counter;
  dnsFailures: Counter;
} {
  const registry = new Registry();
  // The event-loop delay is sampled every 100 ms, not prom-client's 10: a wake-up of its own
  // 100 times a second cost more than probing a hundred targets.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 100 });
  // Gauges with a counter's suffix, which promtool check metrics flags: left out.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
  new Gauge({
    name: 'rawping_build_info',
    help: 'The version of rawping and of Node.js that run the exporter.',
    labelNames: ['version', 'nodejs'],
    registers: [registry],
  })
    .labels({ version, nodejs: process.versions.node })
    .set(1);
  new Counter({
    name: 'rawping_receive_drops_total',
    help: "Datagrams the kernel dropped because the exporter's ICMP sockets' receive queues were full (replies never seen: loss of the exporter's, not of the network).",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(pool.kernelDrops());
    },
  });
  return {
    registry,
    reloadOk: new Gauge({
      name: 'rawping_config_last_reload_successful',
      help: 'Whether the last load of the config file succeeded (1) or failed (0).',
      registers: [registry],
    }),
    configInfo: new Gauge({
      name: 'rawping_config_info',
      help: 'The running config: its file (empty for the command line alone) and the SHA-256 of its bytes; a failed reload leaves it as it was.',
      labelNames: ['file', 'sha256'],
      registers: [registry],
    }),
    reloadTime: new Gauge({
      name: 'rawping_config_last_reload_success_timestamp_seconds',
      help: 'When the config was last loaded successfully, seconds since the epoch.',
      registers: [registry],
    }),
    targets: new Gauge({ name: 'rawping_targets', help: 'Targets in the running config.', registers: [registry] }),
    proberErrors: new Counter({
      name: 'rawping_prober_errors_total',
      help: 'Groups of targets that could not be probed (see the log).',
      registers: [registry],
    }),
    dnsLookups: new Counter({ name: 'rawping_dns_lookups_total', help: 'Lookups of target names.', registers: [registry] }),
    dnsFailures: new Counter({ name: 'rawping_dns_lookup_failures_total', help: 'Lookups of target names that failed.', registers: [registry] }),
  };
}

/** The config: the file's groups, and the command line's hosts as one more group. */
function readConfig(options: ExporterOptions): LoadedConfig {
  const config: LoadedConfig = options.config !== null ? loadConfig(options.config) : { groups: [], dnsRefreshMs: null, sha256: '' };
  if (options.hosts.length > 0) {
    config.groups.push({
      ...DEFAULT_GROUP,
      hosts: options.hosts,
      intervalMs: options.intervalMs,
      timeoutMs: options.intervalMs,
      size: options.size,
      network: options.network,
      line: 0,
    });
  }
  return config;
}

/** Runs the exporter until SIGTERM or SIGINT; resolves with the exit status. */
export async function runExporter(options: ExporterOptions, sockets: SocketSet, out: Output, signals: SignalHub): Promise<number> {
  const log = new EventLog(options.logFormat, (line) => out.err(line));
  const pool = new SocketPool(sockets, options.mode);
  const metrics = processMetrics(options.version, pool);
  const registry = new TargetRegistry(options.buckets);
  const exposition = new TargetExposition(options.buckets);
  const prober = new TargetProber({
    socketsFor: (settings) => pool.socketsFor(settings),
    onChunkError: (error, hosts) => {
      metrics.proberErrors.inc();
      log.error('cannot probe targets', {
        err: error instanceof Error ? error.message : String(error),
        hosts: hosts.slice(0, 5).join(','),
        count: hosts.length,
      });
    },
  });
  log.info('starting rawping exporter', {
    version: options.version,
    sockets: sockets.opened.map((s) => `IPv${s.family} ${s.kind}`).join(', '),
  });

  let dnsRefreshMs = options.dnsRefreshMs;
  let dnsTimer: NodeJS.Timeout | null = null;
  let ready = false;

  /** Loads the config and makes it the running one; null on success, else why not (the running config stays). */
  const apply = async (): Promise<string | null> => {
    let config: LoadedConfig;
    try {
      config = readConfig(options);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    if (config.groups.length === 0) return 'no targets: the config has none and none were given on the command line';
    for (const group of config.groups) {
      try {
        pool.socketsFor(group);
      } catch (error) {
        return `${options.config ?? 'command line'}${group.line > 0 ? `:${group.line}` : ''}: ${(error as Error).message}`;
      }
    }
    const plan = await registry.plan(config);
    if ('error' in plan) return plan.error;
    registry.adopt(plan);
    prober.sync(registry.entries);
    metrics.targets.set(registry.entries.length);
    metrics.configInfo.reset();
    metrics.configInfo.labels({ file: options.config ?? '', sha256: config.sha256 }).set(1);
    const unresolved = registry.entries.filter((e) => e.address === '');
    for (const e of unresolved.slice(0, 10)) log.warn('name does not resolve; it is looked up again at each refresh', { host: e.host });
    dnsRefreshMs = config.dnsRefreshMs ?? options.dnsRefreshMs;
    armRefresh();
    return null;
  };

  const refresh = async (): Promise<void> => {
    const names = registry.entries.filter((e) => !e.literal).length;
    if (names === 0) return;
    const { changed, failed } = await registry.refresh();
    metrics.dnsLookups.inc(names);
    metrics.dnsFailures.inc(failed.length);
    for (const c of changed) log.info('address changed', { host: c.host, from: c.from === '' ? 'none' : c.from, to: c.to });
    for (const f of failed.slice(0, 10)) log.warn('lookup failed; the last address is still probed', { host: f.host, err: f.error });
    if (failed.length > 10) log.warn('more lookups failed', { count: failed.length - 10 });
    if (changed.length > 0) prober.sync(registry.entries);
  };

  function armRefresh(): void {
    if (dnsTimer !== null) clearInterval(dnsTimer);
    dnsTimer = null;
    if (dnsRefreshMs > 0) {
      dnsTimer = setInterval(() => {
        refresh().catch((error: unknown) => log.error('name refresh failed', { err: String(error) }));
      }, dnsRefreshMs);
    }
  }

  // Reloads one at a time, in order: a reload asked for during another waits for it.
  let reloading: Promise<string | null> = Promise.resolve(null);
  const reload = (why: string): Promise<string | null> => {
    const next = reloading.then(async () => {
      const failure = await apply();
      if (failure === null) {
        metrics.reloadOk.set(1);
        metrics.reloadTime.set(Date.now() / 1000);
        log.info('reloaded config', { reason: why, targets: registry.entries.length, dns_refresh: formatDuration(dnsRefreshMs) });
      } else {
        metrics.reloadOk.set(0);
        log.error('error reloading config; the running config stays', { reason: why, err: failure });
      }
      return failure;
    });
    reloading = next.catch(() => null);
    return next;
  };

  const first = await apply();
  if (first !== null) {
    log.error('error loading config', { err: first });
    await prober.stop();
    pool.close();
    return 2;
  }
  metrics.reloadOk.set(1);
  metrics.reloadTime.set(Date.now() / 1000);
  log.info('loaded config', { targets: registry.entries.length, chunks: prober.chunks, dns_refresh: formatDuration(dnsRefreshMs) });

  let server: Server;
  try {
    const started = await startMetricsServer(options.listen, {
      metrics: async (sink) => {
        if (await sink(Buffer.from(await metrics.registry.metrics(), 'utf8'))) await exposition.stream(registry.series(), sink);
      },
      ready: () => ready,
      reload: () => reload('http'),
    });
    server = started.server;
    log.info('listening', { address: started.address });
  } catch (error) {
    log.error('cannot listen', { address: options.listen, err: error instanceof Error ? error.message : String(error) });
    if (dnsTimer !== null) clearInterval(dnsTimer);
    await prober.stop();
    pool.close();
    return 2;
  }
  ready = true;

  const onHup = (): void => void reload('SIGHUP');
  process.on('SIGHUP', onHup);
  await new Promise<void>((resolve) => signals.onInterrupt(resolve));
  log.info('shutting down');
  process.off('SIGHUP', onHup);
  ready = false;
  if (dnsTimer !== null) clearInterval(dnsTimer);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await prober.stop();
  pool.close();
  log.info('stopped');
  return 0;
}
