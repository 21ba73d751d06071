/**
 * Test support shared by the connector tests: a `fetch` that replays recorded provider payloads, so a connector
 * runs its real code path (URLs, headers, retries, parsing) against provider-shaped responses, and records every
 * request it receives so tests can check what went over the wire. Each connector's own `replay-fetch.ts` keeps
 * only what is provider-specific: its fixtures folder, its answer to an unknown path, and its recorded routes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { CellValue, ConnectorEnvironment, HttpSettings, ProviderAccount, ReadHooks } from './types.ts';

/** A recorded error fixture: `{"http_status", "headers"?, "body"}`. */
export interface ErrorFixture {
  http_status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** What one replayed route answers. */
export interface ReplayAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** A JSON value (serialised) or a raw string body. */
  body: unknown;
  raw?: boolean;
}

/** A request as the fake network saw it. */
export interface RecordedRequest {
  method: string;
  url: URL;
  /** The query string exactly as sent (LinkedIn's Rest.li structure is unencoded, so `url.search` would differ). */
  query: string;
  headers: Headers;
  /** The request body when it was sent as a string (form-encoded or JSON POSTs). */
  body: string | undefined;
}

/** Resolves a request to an answer (a list is served in turn, the last repeating); undefined is "no such path". */
export type ReplayRoute = (request: RecordedRequest) => ReplayAnswer | ReplayAnswer[] | undefined;

/** How a provider's front end answers what the routes do not: each provider has its own "no such path". */
export interface ReplayFetchOptions {
  /** The provider's answer to a path it does not serve. */
  notFound(url: URL): Response;
  /** `content-type` of JSON answers; `application/json` unless the provider sends a charset. */
  jsonContentType?: string;
}

/**
 * Builds a replaying fetch around `route`. A list of answers is served in turn for repeated calls to the same
 * `METHOD path` (the last one repeats), which is how retry sequences are replayed. An answer's own headers win
 * over the default `content-type`.
 */
export function replayFetch(
  route: ReplayRoute,
  options: ReplayFetchOptions,
): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const served = new Map<string, number>();
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href);
    const request: RecordedRequest = {
      method: init?.method ?? 'GET',
      url,
      query: href.includes('?') ? href.slice(href.indexOf('?') + 1) : '',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    requests.push(request);
    const answer = route(request);
    if (answer === undefined) return options.notFound(url);
    let chosen: ReplayAnswer;
    if (Array.isArray(answer)) {
      const key = `${request.method} ${url.pathname}`;
      const index = served.get(key) ?? 0;
      served.set(key, index + 1);
      chosen = answer[Math.min(index, answer.length - 1)]!;
    } else {
      chosen = answer;
    }
    const text = chosen.raw ? String(chosen.body) : JSON.stringify(chosen.body);
    const headers = new Headers(chosen.headers);
    if (!headers.has('content-type')) {
      headers.set('content-type', chosen.raw ? 'text/html' : (options.jsonContentType ?? 'application/json'));
    }
    return new Response(text, { status: chosen.status ?? 200, headers });
  };
  return { fetch: fakeFetch as typeof fetch, requests };
}

/** Readers of one connector's recorded payloads (see {@link recordedFixtures}). */
export interface RecordedFixtures {
  /** Parsed JSON of `fixtures/<name>`. */
  loadFixture<T = unknown>(name: string): T;
  /** Answer for a JSON fixture file served with status 200. */
  okFixture(name: string): ReplayAnswer;
  /** Answer for an error fixture from `fixtures/errors/` (its status, its headers if recorded, its body). */
  errorFixture(name: string): ReplayAnswer;
  /** File names in `fixtures/errors/`, sorted. */
  errorFixtureNames(): string[];
}

/** The readers of the recorded payloads in `fixturesDir` (a connector's `fixtures/` folder URL). */
export function recordedFixtures(fixturesDir: URL): RecordedFixtures {
  function loadFixture<T = unknown>(name: string): T {
    return JSON.parse(readFileSync(new URL(name, fixturesDir), 'utf8')) as T;
  }
  return {
    loadFixture,
    okFixture: (name) => ({ status: 200, body: loadFixture(name) }),
    errorFixture: (name) => {
      const fixture = loadFixture<ErrorFixture>(`errors/${name}`);
      return { status: fixture.http_status, headers: fixture.headers ?? {}, body: fixture.body };
    },
    errorFixtureNames: () =>
      readdirSync(new URL('errors/', fixturesDir))
        .filter((name) => name.endsWith('.json'))
        .sort(),
  };
}

/** Short HTTP settings so retry tests run in milliseconds; quota waits are never slept through. */
export const REPLAY_HTTP: HttpSettings = {
  timeoutMs: 2000,
  maxRetries: 2,
  retryBaseMs: 1,
  maxQuotaWaitMs: 0,
};

/** Where a replayed connector runs: real mode by default (no sandbox), {@link REPLAY_HTTP} unless overridden. */
export interface ReplayEnvironmentOptions {
  env: Record<string, string>;
  sandboxBaseUrl?: () => string | null;
  http?: Partial<HttpSettings>;
}

/** A connector environment whose `fetch` replays `route`, plus the requests it receives. */
export function replayEnvironment(
  route: ReplayRoute,
  fetchOptions: ReplayFetchOptions,
  options: ReplayEnvironmentOptions,
): { environment: ConnectorEnvironment; requests: RecordedRequest[] } {
  const replay = replayFetch(route, fetchOptions);
  const environment: ConnectorEnvironment = {
    env: options.env,
    sandboxBaseUrl: options.sandboxBaseUrl ?? (() => null),
    http: { ...REPLAY_HTTP, ...options.http },
    fetch: replay.fetch,
  };
  return { environment, requests: replay.requests };
}

/**
 * The `build(route, env?, sandboxBaseUrl?, http?)` of a connector's tests: the connector `create` makes in an
 * environment whose fetch replays `route` (real mode with `realEnv` unless told otherwise), the requests it sent
 * and that environment.
 */
export function replayBuilder<C>(
  create: (environment: ConnectorEnvironment) => C,
  fetchOptions: ReplayFetchOptions,
  realEnv: Record<string, string>,
) {
  return (
    route: ReplayRoute,
    env: Record<string, string> = realEnv,
    sandboxBaseUrl: () => string | null = () => null,
    http: Partial<HttpSettings> = {},
  ): { connector: C; requests: RecordedRequest[]; environment: ConnectorEnvironment } => {
    const { environment, requests } = replayEnvironment(route, fetchOptions, { env, sandboxBaseUrl, http });
    return { connector: create(environment), requests, environment };
  };
}

/** Drains discovery into an array of pages. */
export async function collect(pages: AsyncIterable<ProviderAccount[]>): Promise<ProviderAccount[][]> {
  const result: ProviderAccount[][] = [];
  for await (const page of pages) result.push(page);
  return result;
}

/** Drains a read into its pages. */
export async function drain(
  pages: AsyncIterable<Record<string, CellValue>[]>,
): Promise<Record<string, CellValue>[][]> {
  const result: Record<string, CellValue>[][] = [];
  for await (const page of pages) result.push(page);
  return result;
}

/** Hooks that record API calls and quota waits; `abort()` cancels the read. */
export function recordingHooks(): ReadHooks & {
  calls: number;
  waits: number[];
  abort(reason?: unknown): void;
} {
  const controller = new AbortController();
  const hooks = {
    calls: 0,
    waits: [] as number[],
    signal: controller.signal,
    onApiCall() {
      hooks.calls += 1;
    },
    onQuotaWait(ms: number) {
      hooks.waits.push(ms);
    },
    abort(reason?: unknown) {
      controller.abort(reason);
    },
  };
  return hooks;
}
