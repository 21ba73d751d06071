/**
 * Sends generated requests exactly as written — raw paths with dot segments and backslashes, any method, any
 * header — over one keep-alive connection, and judges the answers.
 */
import http from 'node:http';
import { expect } from 'vitest';
import type { Endpoint } from '../../src/contract/endpoints.ts';
import { errorCodeList } from '../../src/domain/errors.ts';
import { type FuzzRequest, harmlessSuccess } from './requests.ts';

/** What came back. */
export interface Answer {
  status: number;
  contentType: string;
  /** The `x-error-code` header of an error page for a browser. */
  errorCode: string;
  text: string;
}

function sendOnce(
  base: URL,
  agent: http.Agent,
  request: FuzzRequest,
  credentials: Record<string, string>,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: base.hostname,
        port: base.port,
        agent,
        method: request.method,
        path: `${request.path}${request.query ? `?${request.query}` : ''}`,
        headers: {
          accept: 'application/json',
          ...credentials,
          ...request.headers,
          // Node's client sends a DELETE body with no length at all unless told (the server then reads it as the next request).
          ...(request.body !== undefined
            ? { 'content-length': String(Buffer.byteLength(request.body)) }
            : {}),
        },
        timeout: 20_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: String(response.headers['content-type'] ?? ''),
            errorCode: String(response.headers['x-error-code'] ?? ''),
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error('No answer in 20 s')));
    outgoing.on('error', (error) => reject(Object.assign(error, { reusedSocket: outgoing.reusedSocket })));
    outgoing.end(request.body);
  });
}

/**
 * Sends a request (the caller's `credentials` first, the request's own headers over them). Sent once more on a
 * fresh connection when a reused keep-alive connection turns out closed: the server closes it after refusing a
 * malformed request, and the agent may hand it out again before it sees the close.
 */
export async function send(
  base: URL,
  agent: http.Agent,
  request: FuzzRequest,
  credentials: Record<string, string>,
): Promise<Answer> {
  try {
    return await sendOnce(base, agent, request, credentials);
  } catch (error) {
    const { code, reusedSocket, message } = error as NodeJS.ErrnoException & { reusedSocket?: boolean };
    const closed = code === 'ECONNRESET' || code === 'EPIPE' || message === 'socket hang up';
    if (!reusedSocket || !closed) throw error;
    return sendOnce(base, agent, request, credentials);
  }
}

/**
 * What every answer must be: never a 5xx; a 4xx with `{"error":{"code","message"}}` and a code of the closed list;
 * no success for a request that would change something.
 */
export function checkAnswer(request: FuzzRequest, endpoint: Endpoint, answer: Answer): void {
  const shown = `${answer.status} ${answer.contentType} ${answer.text.slice(0, 300)}`;
  expect(answer.status, `5xx: ${shown}`).toBeLessThan(500);
  if (answer.status >= 400 && answer.contentType.startsWith('text/html')) {
    // A page for a browser (the OAuth callback's), which did not ask for JSON; the code is in a header.
    expect(
      request.headers.accept ?? 'application/json',
      `an HTML error page for an API client: ${shown}`,
    ).not.toContain('application/json');
    expect(errorCodeList, `an error page without a known x-error-code: ${shown}`).toContain(answer.errorCode);
  } else if (answer.status >= 400) {
    expect(answer.contentType, `4xx without a JSON body: ${shown}`).toContain('application/json');
    const body = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
    expect(errorCodeList, `4xx with an unknown error code: ${shown}`).toContain(body.error?.code);
    const message = body.error?.message;
    expect(typeof message === 'string' && message.length > 0, `4xx without a message: ${shown}`).toBe(true);
  } else if (request.method !== 'GET') {
    const harmless = request.method === endpoint.method && harmlessSuccess.has(request.endpoint);
    expect(harmless, `a request that would change something was accepted: ${shown}`).toBe(true);
  }
}

/** Counts of what was sent and answered, printed at the end of a run. */
export class Tally {
  sent = 0;
  private readonly byEndpoint = new Map<string, Record<string, number>>();
  private readonly byKind = new Map<string, number>();
  private readonly byCaller = new Map<string, number>();

  add(request: FuzzRequest, answer: Answer, milliseconds: number): void {
    this.sent += 1;
    const counts = this.byEndpoint.get(request.endpoint) ?? {};
    counts.ms = (counts.ms ?? 0) + milliseconds;
    const status = `${Math.floor(answer.status / 100)}xx`;
    counts[status] = (counts[status] ?? 0) + 1;
    this.byEndpoint.set(request.endpoint, counts);
    this.byKind.set(request.kind, (this.byKind.get(request.kind) ?? 0) + 1);
    this.byCaller.set(request.caller, (this.byCaller.get(request.caller) ?? 0) + 1);
  }

  /** Answers of one status class over all endpoints. */
  total(statusClass: string): number {
    return [...this.byEndpoint.values()].reduce((sum, counts) => sum + (counts[statusClass] ?? 0), 0);
  }

  /** A table: one row per endpoint with its answers per status class, then per kind and per caller. */
  report(): string {
    const classes = ['2xx', '3xx', '4xx', '5xx'];
    const row = (name: string, cells: (string | number)[]) =>
      `  ${name.padEnd(26)} ${cells.map((cell) => String(cell).padStart(6)).join(' ')}`;
    const rows = [...this.byEndpoint].map(([name, counts]) =>
      row(name, [
        ...classes.map((c) => counts[c] ?? 0),
        classes.reduce((sum, c) => sum + (counts[c] ?? 0), 0),
        ((counts.ms ?? 0) / 1000).toFixed(1),
      ]),
    );
    const list = (map: Map<string, number>) =>
      [...map]
        .sort((a, b) => b[1] - a[1])
        .map(([key, n]) => `${key} ${n}`)
        .join(', ');
    return [
      row('endpoint', [...classes, 'sent', 's']),
      ...rows,
      row('total', [
        ...classes.map((c) => this.total(c)),
        this.sent,
        ([...this.byEndpoint.values()].reduce((sum, counts) => sum + (counts.ms ?? 0), 0) / 1000).toFixed(1),
      ]),
      `  by kind: ${list(this.byKind)}`,
      `  by caller: ${list(this.byCaller)}`,
    ].join('\n');
  }
}
