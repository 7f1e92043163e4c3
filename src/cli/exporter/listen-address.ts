// The exporter's --listen: [host]:port, as Prometheus' exporters take it.

/** Where to listen: `:9374` (every address), `127.0.0.1:9374`, `[::1]:9374`, `localhost:0`. Throws Error for anything else. */
export function parseListen(text: string): { host: string | undefined; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.%a-zA-Z0-9]+)\]|([^:[\]]*)):([0-9]{1,5})$/.exec(text);
  const port = Number(m?.[3]);
  if (m === null || port > 65535) throw new Error(`invalid --listen '${text.slice(0, 80)}': expected [host]:port, e.g. :9374 or 127.0.0.1:9374`);
  const host = m[1] ?? (m[2] === '' ? undefined : m[2]);
  return { host, port };
}
