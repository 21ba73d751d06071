/**
 * The load generator of the load benchmark, run as a process of its own so its CPU never shares the
 * measured server's event loop: autocannon with `connections` clients against loopback only, for
 * `seconds`, cycling through `paths`. Reads its settings as JSON from argv[2] and prints one line
 * `LOAD_RESULT <json>` with what autocannon measured.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

/** What the parent asks for. */
export interface LoadClientSettings {
  /** Base URL of the server; must be loopback. */
  url: string;
  /** Request paths (with query), cycled through by every client. */
  paths: string[];
  headers: Record<string, string>;
  connections: number;
  seconds: number;
  /** Requests per second per client (paced clients); 0 sends the next request as soon as one answers. */
  connectionRate: number;
  timeoutSeconds: number;
}

/** What the child reports: latency percentiles (ms), counts by outcome. */
export interface LoadClientResult {
  requests: number;
  durationSeconds: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Responses by status code. */
  statusCodes: Record<string, number>;
  non2xx: number;
  /** Connection errors (including timeouts). */
  errors: number;
  timeouts: number;
}

const self = fileURLToPath(import.meta.url);

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '{}') as LoadClientSettings;
  const host = new URL(settings.url).hostname;
  // A load test sends traffic to this machine only.
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]')
    throw new Error(`Refusing to load ${settings.url}: loopback only`);
  const result = await autocannon({
    url: settings.url,
    connections: settings.connections,
    duration: settings.seconds,
    timeout: settings.timeoutSeconds,
    headers: settings.headers,
    requests: settings.paths.map((requestPath) => ({ method: 'GET' as const, path: requestPath })),
    ...(settings.connectionRate > 0 ? { connectionRate: settings.connectionRate } : {}),
  });
  const codes = (result as unknown as { statusCodeStats?: Record<string, { count: number }> })
    .statusCodeStats;
  const out: LoadClientResult = {
    requests: result.requests.total,
    durationSeconds: result.duration,
    latency: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    statusCodes: Object.fromEntries(Object.entries(codes ?? {}).map(([code, stat]) => [code, stat.count])),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
  process.stdout.write(`LOAD_RESULT ${JSON.stringify(out)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
