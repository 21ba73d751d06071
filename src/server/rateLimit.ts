/**
 * API rate limits: a token bucket per client on `/api/` routes. A client is its API token or session (from the
 * `authorization` header or the `tributary_session` cookie) when it sends one, else its remote address, so one
 * noisy script cannot starve the UI of the people behind the same proxy. Over the limit → 429 `rate_limited_api`
 * with `Retry-After`. The buckets live in this process: with several servers behind a balancer each enforces its
 * own share, which is what a per-process guard against runaway clients needs.
 */
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errorCodes } from '../domain/errors.ts';

/** How many requests a client may make per minute; the bucket holds one minute's worth, so bursts up to that pass. */
export interface RateLimitSettings {
  requestsPerMinute: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Buckets idle this long are full again and can be forgotten. */
const FORGET_AFTER_MS = 60_000;
/** Sweep idle buckets once the map grows past this, so spoofed clients cannot grow it without bound. */
const SWEEP_ABOVE = 10_000;

/** A token bucket per client key; `take` answers how long to wait (0: allowed now). */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private readonly refillPerMs: number;

  constructor(
    settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {
    this.capacity = settings.requestsPerMinute;
    this.refillPerMs = settings.requestsPerMinute / 60_000;
  }

  /** Takes one token for `key`; returns 0 when allowed, else the milliseconds until a token is back. */
  take(key: string): number {
    const now = this.now();
    if (this.buckets.size > SWEEP_ABOVE) this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, updatedAt: now };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.updatedAt) * this.refillPerMs);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.refillPerMs);
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt > FORGET_AFTER_MS) this.buckets.delete(key);
    }
  }
}

/** The `tributary_session` cookie's value, if the request carries one. */
function sessionCookie(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === 'tributary_session' && value.length > 0) return value.join('=');
  }
  return null;
}

/**
 * Who a request counts against. Credentials are hashed so the map never holds a usable token; an unknown or
 * forged one still gets its own bucket, which only limits the forger.
 */
export function clientKey(request: FastifyRequest): string {
  const credential = request.headers.authorization ?? sessionCookie(request.headers.cookie);
  if (credential) return `c:${crypto.createHash('sha256').update(credential).digest('base64url')}`;
  return `a:${request.ip}`;
}

/** Limits `/api/` requests per client; everything else (web app, sandbox, metrics) is not counted. */
export function registerRateLimit(app: FastifyInstance, settings: RateLimitSettings): void {
  const buckets = new TokenBuckets(settings);
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    const waitMs = buckets.take(clientKey(request));
    if (waitMs === 0) return;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    await reply
      .code(errorCodes.rate_limited_api.httpStatus)
      .header('retry-after', String(seconds))
      .send({
        error: {
          code: 'rate_limited_api',
          message: `Too many requests: at most ${settings.requestsPerMinute} per minute per client; retry in ${seconds} s`,
          details: { limitPerMinute: settings.requestsPerMinute, retryAfterSeconds: seconds },
        },
      });
  });
}
