// The exporter's HTTP side: GET /metrics, GET /-/healthy, GET /-/ready, POST /-/reload, as
// Prometheus' own exporters serve them. /metrics is streamed (chunked), piece by piece with the
// connection's back-pressure, and compressed with gzip when the scraper asks (Prometheus does),
// at level 1: the exposition of 10000 targets is some 30 MB of repetitive text, and level 1
// takes a fraction of the time of the default for nearly the same size.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGzip } from 'node:zlib';
import { parseListen } from './listen-address.js';

/** What the server asks of the exporter. */
export interface MetricsHandlers {
  /** Writes the exposition to `sink`, a piece at a time (the sink resolves false once the scraper is gone). */
  metrics(sink: (piece: Buffer) => Promise<boolean>): Promise<void>;
  /** True once the first config is loaded and probing. */
  ready(): boolean;
  /** Reloads the config: null on success, else why it failed. */
  reload(): Promise<string | null>;
}

const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Answers with `body`; true, so a handler can `return send(...)`. */
function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): true {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}

function end(res: ServerResponse): true {
  res.end();
  return true;
}

/** Serves the exporter's endpoints; resolves once listening, with the address bound. */
export async function startMetricsServer(listen: string, handlers: MetricsHandlers): Promise<{ server: Server; address: string }> {
  const { host, port } = parseListen(listen);
  const server = createServer((req, res) => {
    handle(req, res, handlers).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, `${error instanceof Error ? error.message : String(error)}\n`);
      else res.destroy();
    });
  });
  // A scrape of a large exposition may take a while on a slow link; an idle client may not hold a socket for ever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, ...(host !== undefined ? { host } : {}) }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return { server, address: bound.family === 'IPv6' ? `[${bound.address}]:${bound.port}` : `${bound.address}:${bound.port}` };
}

async function handle(req: IncomingMessage, res: ServerResponse, handlers: MetricsHandlers): Promise<true> {
  const path = (req.url ?? '/').split('?')[0];
  const method = req.method ?? 'GET';
  // Bodies are never read: drain them so a keep-alive connection stays usable.
  req.resume();
  switch (path) {
    case '/metrics': {
      if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'Only GET is allowed\n');
      const zipped = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      res.writeHead(200, { 'content-type': CONTENT_TYPE, ...(zipped ? { 'content-encoding': 'gzip' } : {}) });
      if (method === 'HEAD') return end(res);
      const zip = zipped ? createGzip({ level: 1 }) : null;
      zip?.pipe(res);
      const target = zip ?? res;
      let gone = false;
      const closed = once(res, 'close').then(() => {
        gone = true;
      });
      const sink = async (piece: Buffer): Promise<boolean> => {
        if (gone) return false;
        if (!target.write(piece)) await Promise.race([once(target, 'drain'), closed]);
        return !gone;
      };
      try {
        await handlers.metrics(sink);
      } catch (error) {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
        return true;
      }
      target.end();
      return true;
    }
    case '/-/healthy':
      return send(res, 200, 'Healthy\n');
    case '/-/ready':
      return handlers.ready() ? send(res, 200, 'Ready\n') : send(res, 503, 'Not ready\n');
    case '/-/reload': {
      if (method !== 'POST' && method !== 'PUT') return send(res, 405, 'This endpoint requires a POST request.\n');
      const failure = await handlers.reload();
      return failure === null ? send(res, 200, 'Reloaded\n') : send(res, 500, `failed to reload config: ${failure}\n`);
    }
    case '/':
      return send(
        res,
        200,
        '<html><head><title>rawping exporter</title></head><body><h1>rawping exporter</h1><p><a href="/metrics">Metrics</a></p></body></html>\n',
        'text/html; charset=utf-8',
      );
    default:
      return send(res, 404, 'Not found\n');
  }
}
