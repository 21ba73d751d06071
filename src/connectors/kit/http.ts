/**
 * The HTTP client every connector uses: timeouts, retries with back-off on transient errors,
 * short quota waits, and no secrets in error messages. Connectors supply `classify`, which
 * turns a provider response into a TributaryError (or null when it is a success).
 */
import { TributaryError } from '../../domain/errors.ts';
import type { HttpSettings } from './types.ts';

/** A provider response, read fully. */
export interface ProviderResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface ProviderRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Form or JSON body, already encoded. */
  body?: string;
  /** A name for logs and error messages that carries no secret, e.g. `GET /me/adaccounts`. */
  label: string;
}

export interface RequestOptions {
  /** Turns a response into an error, or null when it is usable. */
  classify(response: ProviderResponse): TributaryError | null;
  /** Called after every HTTP attempt (retries included), so callers can count provider calls. */
  onAttempt?(): void;
  /** Called before a quota wait is slept through, with the wait in ms. */
  onQuotaWait?(ms: number): void;
  /** Cancels the call and any back-off: the signal's reason is thrown as it is. */
  signal?: AbortSignal;
}

/**
 * Waits `ms`, or rejects with the signal's reason as soon as it aborts. Exported so connectors pace and poll
 * with the same cancellable wait the retries use.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return new Promise<void>((resolve) => setTimeout(resolve, ms));
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Sends one request, retrying transient failures and short quota waits as the settings allow. */
export async function sendWithRetries(
  fetchImpl: typeof fetch,
  settings: HttpSettings,
  request: ProviderRequest,
  options: RequestOptions,
): Promise<ProviderResponse> {
  const { signal } = options;
  let attempt = 0;
  for (;;) {
    signal?.throwIfAborted();
    const error = await sendOnce(fetchImpl, settings, request, signal).then(
      (response) => ({ response, error: options.classify(response) }),
      (failure: unknown) => {
        // A cancelled caller is not a provider failure: surface its own reason, never a retryable timeout.
        if (signal?.aborted) throw signal.reason;
        return { response: undefined, error: toTransportError(failure, request, settings) };
      },
    );
    options.onAttempt?.();
    if (!error.error && error.response) return error.response;
    const failure = error.error!;
    attempt += 1;
    if (attempt > settings.maxRetries) throw failure;
    if (failure.category === 'transient') {
      await sleep(settings.retryBaseMs * 2 ** (attempt - 1), signal);
      continue;
    }
    if (failure.category === 'quota' && failure.retryAt) {
      const wait = failure.retryAt.getTime() - Date.now();
      if (wait <= settings.maxQuotaWaitMs) {
        options.onQuotaWait?.(Math.max(wait, 0));
        await sleep(Math.max(wait, 0), signal);
        continue;
      }
    }
    throw failure;
  }
}

async function sendOnce(
  fetchImpl: typeof fetch,
  settings: HttpSettings,
  request: ProviderRequest,
  signal: AbortSignal | undefined,
): Promise<ProviderResponse> {
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const response = await fetchImpl(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    redirect: 'manual',
    signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

function toTransportError(
  failure: unknown,
  request: ProviderRequest,
  settings: HttpSettings,
): TributaryError {
  if (failure instanceof TributaryError) return failure;
  const name = failure instanceof Error ? failure.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new TributaryError(
      'provider_timeout',
      `${request.label} did not answer within ${settings.timeoutMs} ms`,
    );
  }
  const reason = failure instanceof Error ? failure.message : String(failure);
  return new TributaryError('provider_unavailable', `${request.label} failed: ${reason}`);
}

/** Parsed bodies by response: the classifier and the caller read the same page, which is parsed once. */
const parsedBodies = new WeakMap<ProviderResponse, { ok: true; value: unknown } | { ok: false }>();

/** The JSON body of a response (parsed at most once), or `{ok: false}` when it is not JSON. */
export function jsonOf(response: ProviderResponse): { ok: true; value: unknown } | { ok: false } {
  let parsed = parsedBodies.get(response);
  if (!parsed) {
    try {
      parsed = { ok: true, value: JSON.parse(response.text) };
    } catch {
      parsed = { ok: false };
    }
    parsedBodies.set(response, parsed);
  }
  return parsed;
}

/** Parses a JSON body, or raises `provider_malformed_response` naming the call. */
export function parseJsonBody(response: ProviderResponse, label: string): unknown {
  const parsed = jsonOf(response);
  if (parsed.ok) return parsed.value;
  throw new TributaryError(
    'provider_malformed_response',
    `${label} returned a body that is not valid JSON (HTTP ${response.status}, ${response.text.length} bytes)`,
  );
}
