/**
 * The metrics listener: `GET /metrics` (Prometheus text format) on its own port, METRICS_PORT, never on the
 * public API port: the metrics tell how the sources behave and need no token, so they belong on a port that
 * only the scraper reaches. A plain node:http server because it serves one read-only path.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { enableDefaultMetrics, registry } from '../core/metrics';
import type { Logger } from '../core/logger';

export interface MetricsServer {
  /** Base URL, e.g. http://127.0.0.1:9464; the metrics are at `${url}/metrics`. */
  url: string;
  /** Stops listening. Idempotent. */
  close(): Promise<void>;
}

/** Listens on `port` (0 = any free port) at `host` (default all interfaces, like the API). */
export async function startMetricsServer(port: number, host = '0.0.0.0', logger?: Logger): Promise<MetricsServer> {
  enableDefaultMetrics();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: the metrics are at GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) =>
        res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      (e: Error) => {
        logger?.warn({ err: e.message }, 'metrics could not be collected');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be collected\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${addr.port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
