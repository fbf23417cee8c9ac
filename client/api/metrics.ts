/**
 * The API's own metrics (issue 36), for the alerts on its error rate and latency (infra/prometheus/alerts.yml):
 * every answer counted by method, route pattern and status, and timed — prom-client's registry, served on an
 * address of its own (API_METRICS_ADDRESS), never on the public port. The route is Fastify's pattern
 * (`/applications/:id`), never the path a caller sent: no id, no IIN, and a bounded number of series.
 */
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ApiMetrics {
  registry: Registry;
  /** counts and times every answer of `app` */
  observe(app: FastifyInstance): void;
}

/** A request no route matched (a probe, a typo): one series for all of them. */
const UNMATCHED = 'unmatched';

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'attestation_api_' });
  const requests = new Counter({
    name: 'attestation_api_requests_total',
    help: "the API's answers, by method, route pattern and status",
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'attestation_api_request_duration_seconds',
    help: 'how long the API took to answer, by method and route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    observe(app) {
      app.addHook('onResponse', async (request, reply) => {
        const route = request.routeOptions.url ?? UNMATCHED;
        requests.inc({ method: request.method, route, status: String(reply.statusCode) });
        duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
      });
    },
  };
}

/** Serves `GET /metrics` of `registry` at `host:port` (API_METRICS_ADDRESS); answers the server to close. */
export async function serveMetrics(registry: Registry, address: string): Promise<http.Server> {
  const [host, port] = splitAddress(address);
  const server = http.createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: Error) => response.writeHead(500).end(error.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** `host:port` (an IPv6 host in brackets), refused by name when it is not one. */
export function splitAddress(address: string): [string, number] {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(address);
  const port = Number(match?.[2]);
  if (!match || port > 65_535) throw new Error(`API_METRICS_ADDRESS must be host:port, such as 0.0.0.0:9465; it is ${JSON.stringify(address)}`);
  return [match[1].replace(/^\[|\]$/g, ''), port];
}
