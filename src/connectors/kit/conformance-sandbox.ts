/**
 * What the conformance suite ({@link ./conformance.ts}) drives a connector with: the provider's sandbox served by
 * a real fastify app on a loopback port, its control API spoken to over HTTP, the OAuth consent page approved with
 * `sandbox_approve`, and reads drained with hooks that record calls and quota waits. Test code only.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { registerSandboxes, SandboxState } from '../../sandbox/host.ts';
import type {
  CellValue,
  Connector,
  ConnectorDefinition,
  HttpSettings,
  ReadHooks,
  ReportRequest,
  SandboxFault,
  SandboxProvider,
  SandboxTruthDay,
  SandboxUserSummary,
  TokenSet,
} from './types.ts';

/** A provider sandbox listening on 127.0.0.1, with its control API. */
export interface ConformanceSandbox {
  /** `http://127.0.0.1:<port>/sandbox/<provider>`: what `environment.sandboxBaseUrl()` returns. */
  base: string;
  /** The seeded users, as `GET /sandbox/_control/users` lists them for this provider. */
  users(): Promise<SandboxUserSummary[]>;
  /** The sandbox's virtual clock (`GET /sandbox/_control/clock`). */
  now(): Promise<Date>;
  /** Moves the virtual clock forward (`POST /sandbox/_control/clock`). */
  advanceDays(days: number): Promise<void>;
  /** Queues `count` faults (`POST /sandbox/_control/faults`). */
  injectFault(fault: SandboxFault, count: number): Promise<void>;
  /** Drops every queued fault, so one failed case cannot leak a fault into the next. */
  clearFaults(): Promise<void>;
  /** The account's true daily totals (`GET /sandbox/_control/truth`). */
  truth(account: string, from: string, to: string): Promise<SandboxTruthDay[]>;
  close(): Promise<void>;
}

async function controlCall(origin: string, path: string, method = 'GET', body?: unknown): Promise<unknown> {
  const response = await fetch(`${origin}/sandbox/_control/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  // The control API answers 200 or 201; anything else is a broken test set-up, worth its own message.
  if (response.status >= 300) throw new Error(`${method} _control/${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Serves `provider` (and only it) with the sandbox host on a free loopback port. */
export async function startLoopbackSandbox(provider: SandboxProvider): Promise<ConformanceSandbox> {
  const app = Fastify();
  registerSandboxes(app, [provider], new SandboxState());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const id = provider.provider;
  return {
    base: `${origin}/sandbox/${id}`,
    async users() {
      const body = (await controlCall(origin, 'users')) as {
        providers: { provider: string; users: SandboxUserSummary[] }[];
      };
      return body.providers.find((entry) => entry.provider === id)?.users ?? [];
    },
    async now() {
      return new Date(((await controlCall(origin, 'clock')) as { now: string }).now);
    },
    async advanceDays(days) {
      await controlCall(origin, 'clock', 'POST', { advanceDays: days });
    },
    async injectFault(fault, count) {
      await controlCall(origin, 'faults', 'POST', { provider: id, fault, count });
    },
    async clearFaults() {
      await controlCall(origin, 'faults', 'DELETE');
    },
    async truth(account, from, to) {
      const query = new URLSearchParams({ provider: id, account, from, to });
      return ((await controlCall(origin, `truth?${query}`)) as { days: SandboxTruthDay[] }).days;
    },
    close: () => app.close(),
  };
}

/** Builds the connector in sandbox mode (no app credentials) against `sandbox`, with the given HTTP settings. */
export function buildAgainst(
  definition: ConnectorDefinition,
  sandbox: () => ConformanceSandbox | undefined,
  http: HttpSettings,
): Connector {
  return definition.create({
    env: {},
    // Resolved per call, as in the server: the sandbox listens only after the suite's beforeAll.
    sandboxBaseUrl: () => sandbox()?.base ?? null,
    http,
    fetch: (input, init) => fetch(input, init),
  });
}

/** The redirect URI the suite authorizes with (any URI the sandbox's consent page accepts). */
export const CONFORMANCE_REDIRECT_URI = 'https://app.example.test/oauth/callback?source=conformance';

/**
 * The OAuth 2.0 flow through the connector's own code: its authorization URL (with PKCE when it uses it), the
 * sandbox consent page approved as `email`, and its code exchange.
 */
export async function oauthLogin(connector: Connector, email: string): Promise<TokenSet> {
  const oauth = connector.oauth;
  if (!oauth) throw new Error(`${connector.id} has no OAuth flow; give the subject a login()`);
  const verifier = oauth.pkce ? randomBytes(32).toString('base64url') : undefined;
  const challenge = verifier && createHash('sha256').update(verifier).digest('base64url');
  const url = new URL(
    oauth.authorizationUrl({
      state: 'conformance-state',
      redirectUri: CONFORMANCE_REDIRECT_URI,
      codeChallenge: challenge,
    }),
  );
  url.searchParams.set('sandbox_approve', email);
  const consent = await fetch(url, { redirect: 'manual' });
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) {
    throw new Error(`consent page for ${email}: HTTP ${consent.status} ${await consent.text()}`);
  }
  const callback = new URL(location);
  if (callback.searchParams.get('state') !== 'conformance-state') {
    throw new Error(`consent page for ${email} did not return the state: ${location}`);
  }
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`consent page for ${email} returned no code: ${location}`);
  return oauth.exchangeCode({ code, redirectUri: CONFORMANCE_REDIRECT_URI, codeVerifier: verifier });
}

/** Read hooks that count provider calls and record quota waits. */
export interface RecordingHooks extends ReadHooks {
  calls: number;
  waits: number[];
}

/** Fresh {@link RecordingHooks}. */
export function recordingHooks(): RecordingHooks {
  const hooks: RecordingHooks = {
    calls: 0,
    waits: [],
    signal: new AbortController().signal,
    onApiCall() {
      hooks.calls += 1;
    },
    onQuotaWait(ms) {
      hooks.waits.push(ms);
    },
  };
  return hooks;
}

/** What a drained read gave: its pages, and the error it ended with (if any). */
export interface ReadOutcome {
  pages: Record<string, CellValue>[][];
  rows: Record<string, CellValue>[];
  error: unknown;
  hooks: RecordingHooks;
}

/** Drains a read, keeping what it yielded before any error: "nothing written" is checked on `pages`. */
export async function drainRead(
  connector: Connector,
  token: TokenSet,
  request: ReportRequest,
): Promise<ReadOutcome> {
  const hooks = recordingHooks();
  const pages: Record<string, CellValue>[][] = [];
  let error: unknown;
  try {
    for await (const page of connector.extraction!.read(token, request, hooks)) pages.push(page);
  } catch (failure) {
    error = failure;
  }
  return { pages, rows: pages.flat(), error, hooks };
}

/** Every page of a discovery. */
export async function discoverPages(connector: Connector, token: TokenSet) {
  const pages = [];
  for await (const page of connector.discoverAccounts(token)) pages.push(page);
  return pages;
}
