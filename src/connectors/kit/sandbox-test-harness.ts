/**
 * Test support shared by the sandbox tests (`src/connectors/<id>/sandbox/*.test.ts`): the sandbox host serving one
 * provider, in-process (driven with fastify `inject`) or on a loopback port (driven with real `fetch`), a clock
 * tests can move, responses read as text and JSON, the control API's fault queue, PKCE pairs and local dates.
 * Each provider's `sandbox/test-harness.ts` keeps only its own paths, parameters and flows.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerSandboxes, SandboxState } from '../../sandbox/host.ts';
import type { SandboxFault, SandboxProvider } from './types.ts';

/** A sandbox state whose clock tests can move forward (code and token expiry, restatement, quota windows). */
export class MovableClockState extends SandboxState {
  /** Moves the sandbox clock forward; the same clock `POST /sandbox/_control/clock` moves. */
  advance(ms: number): void {
    this.advanceClock(ms);
  }
}

/** A sandbox app, ready for `inject`. */
export interface TestSandbox {
  app: FastifyInstance;
  state: MovableClockState;
  close(): Promise<void>;
}

/** A sandbox served on a loopback port, for tests that speak real HTTP to it. */
export interface LoopbackTestSandbox extends TestSandbox {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** `http://127.0.0.1:<port>/sandbox/<provider>` */
  base: string;
}

/** Builds the sandbox host serving only `provider`, driven in-process with `inject`. */
export async function startTestSandbox(provider: SandboxProvider): Promise<TestSandbox> {
  const app = Fastify();
  const state = new MovableClockState();
  registerSandboxes(app, [provider], state);
  await app.ready();
  return { app, state, close: () => app.close() };
}

/** Starts the sandbox host serving only `provider` on 127.0.0.1 and a free port. */
export async function startLoopbackTestSandbox(provider: SandboxProvider): Promise<LoopbackTestSandbox> {
  const app = Fastify();
  const state = new MovableClockState();
  registerSandboxes(app, [provider], state);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return { app, state, origin, base: `${origin}/sandbox/${provider.provider}`, close: () => app.close() };
}

/** A response with its body read as text and, when possible, JSON. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary provider JSON.
  json: any;
}

/** An injected response as an {@link Answer} (`json` undefined when the body is not JSON). */
export function answerOf(response: { statusCode: number; headers: Answer['headers']; body: string }): Answer {
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text: response.body, json };
}

/** GETs any sandbox URL. */
export async function getUrl(
  sandbox: TestSandbox,
  url: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return answerOf(await sandbox.app.inject({ method: 'GET', url, headers }));
}

/** POSTs a form to a sandbox URL. */
export async function postFormTo(
  sandbox: TestSandbox,
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return answerOf(
    await sandbox.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
    }),
  );
}

/** POSTs JSON to a sandbox URL. */
export async function postJsonTo(
  sandbox: TestSandbox,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return answerOf(
    await sandbox.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    }),
  );
}

/** GETs a consent page URL that carries `sandbox_approve`; returns the redirect location it answers. */
export async function approvedRedirect(sandbox: TestSandbox, consentUrl: string): Promise<URL> {
  const response = await getUrl(sandbox, consentUrl);
  if (response.status !== 302) throw new Error(`approve: HTTP ${response.status} ${response.text}`);
  return new URL(String(response.headers.location));
}

/** The users every provider's sandbox seeds and offers on its consent page. */
export const SEEDED_EMAILS: readonly string[] = [
  'alex@example.com',
  'nora@example.com',
  'agency@example.com',
  'sam.lee@example.org',
];

/**
 * What is wrong with a consent page's answer: not an HTML 200, a seeded user missing, no way to cancel, or a
 * script on it. Empty when the page is good.
 */
export function consentPageFaults(page: Answer): string[] {
  const faults: string[] = [];
  if (page.status !== 200) faults.push(`HTTP ${page.status}`);
  if (!String(page.headers['content-type']).includes('text/html')) faults.push('not HTML');
  for (const email of SEEDED_EMAILS) if (!page.text.includes(email)) faults.push(`no ${email}`);
  if (!page.text.includes('sandbox_deny')) faults.push('no cancel');
  if (page.text.includes('<script')) faults.push('a script');
  return faults;
}

/** A fresh PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Queues `count` faults for `provider` with the host's control API. */
export async function injectFault(
  sandbox: TestSandbox,
  provider: string,
  fault: SandboxFault,
  count = 1,
): Promise<void> {
  const response = await sandbox.app.inject({
    method: 'POST',
    url: '/sandbox/_control/faults',
    payload: { provider, fault, count },
  });
  if (response.statusCode !== 201) throw new Error(`fault: ${response.body}`);
}

/** The date (`YYYY-MM-DD`) of the instant `now` in `timeZone`, shifted by `days`. */
export function localDateAt(now: Date, timeZone: string, days = 0): string {
  const local = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const today = new Date(`${local.format(now)}T00:00:00Z`);
  return new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** An exact decimal string (`"37.2"`) in hundredths, without floating-point rounding. */
export function hundredths(amount: string): number {
  const [whole = '0', fraction = ''] = amount.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0').slice(0, 2));
}
