/**
 * Low-level wire helpers shared by every Graph route: random token and trace ids, the headers Graph puts
 * on each response, the JSON error envelope, and Meta's date formats.
 */
import { randomInt } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const base62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random base62 string from node:crypto; tokens and codes must not be guessable even in a sandbox. */
export function randomBase62(length: number): string {
  let out = '';
  for (let index = 0; index < length; index += 1) out += base62[randomInt(base62.length)];
  return out;
}

/** A user access token in Meta's look: `EAA` followed by a long base62 string. */
export function newAccessToken(): string {
  return `EAA${randomBase62(160)}`;
}

/** An authorization code; Meta's start with `AQ` and are long URL-safe strings. */
export function newAuthorizationCode(): string {
  return `AQ${randomBase62(120)}`;
}

/** A Graph trace id (`fbtrace_id` / `x-fb-trace-id`): 23 characters starting with `A`, as Meta's do. */
export function newTraceId(): string {
  return `A${randomBase62(22)}`;
}

/** Reads one string parameter; repeated parameters arrive as arrays and the first one wins. */
export function stringParam(source: unknown, name: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** The error object inside Graph's `{"error": {...}}` envelope; keys are emitted in this order. */
export interface GraphErrorFields {
  message: string;
  type?: string;
  code: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_title?: string;
  error_user_msg?: string;
}

/** A Graph response before it is written: status, body and extra headers. */
export interface GraphResponse {
  status: number;
  /** A JSON value, or a raw string written verbatim (used for the `malformed` fault). */
  body: unknown;
  raw?: boolean;
  headers?: Record<string, string>;
  /** Trace id to use for both the body and `x-fb-trace-id`, when the body carries one. */
  traceId?: string;
}

/**
 * Builds an error response. `withTrace` adds `fbtrace_id`: most live errors carry it, but several bodies
 * Meta was recorded sending do not, and the sandbox mirrors each recorded shape exactly.
 */
export function graphError(status: number, fields: GraphErrorFields, withTrace = true): GraphResponse {
  const traceId = newTraceId();
  const error: Record<string, unknown> = { ...fields };
  if (withTrace) error.fbtrace_id = traceId;
  return { status, body: { error }, traceId };
}

/** Per-response header values the routes compute. */
export interface WireHeaders {
  version: string;
  appUsage: { call_count: number; total_time: number; total_cputime: number };
  /** `x-business-use-case-usage` value (keyed by business/account id), on ad-account calls only. */
  businessUseCaseUsage?: Record<string, BusinessUseCaseEntry[]> | undefined;
}

/** One entry of the `x-business-use-case-usage` header. */
export interface BusinessUseCaseEntry {
  type: string;
  call_count: number;
  total_cputime: number;
  total_time: number;
  estimated_time_to_regain_access: number;
}

/** Writes a Graph response with the headers Graph sends: JSON content type, trace id, usage as JSON strings. */
export function sendGraph(reply: FastifyReply, response: GraphResponse, wire: WireHeaders): FastifyReply {
  const traceId = response.traceId ?? newTraceId();
  reply
    .code(response.status)
    // Graph spells the charset in upper case; some clients compare the header literally.
    .header('content-type', 'application/json; charset=UTF-8')
    .header('x-fb-trace-id', traceId)
    .header('facebook-api-version', wire.version)
    .header('x-app-usage', JSON.stringify(wire.appUsage))
    .header('cache-control', 'private, no-cache, no-store, must-revalidate')
    .header('pragma', 'no-cache')
    .header('expires', 'Sat, 01 Jan 2000 00:00:00 GMT');
  if (wire.businessUseCaseUsage) {
    reply.header('x-business-use-case-usage', JSON.stringify(wire.businessUseCaseUsage));
  }
  for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
  return reply.send(response.raw ? String(response.body) : JSON.stringify(response.body));
}

/** The scheme and host the request came in on, so `paging.next` points back at this very server. */
export function requestOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

const pad = (value: number) => String(value).padStart(2, '0');

interface ZonedParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
  weekday: string;
  monthShort: string;
  zoneShort: string;
  /** Offset from UTC in minutes. */
  offsetMinutes: number;
}

function zonedParts(instant: Date, timeZone: string): ZonedParts {
  const parts = (options: Intl.DateTimeFormatOptions) =>
    Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone, ...options })
        .formatToParts(instant)
        .map((part) => [part.type, part.value]),
    );
  const numeric = parts({
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'longOffset',
  });
  const named = parts({ weekday: 'long', month: 'short', timeZoneName: 'short' });
  // longOffset renders as "GMT", "GMT+05:30" or "GMT-07:00".
  const match = /GMT(?:([+-])(\d{2}):(\d{2}))?/.exec(numeric.timeZoneName ?? '');
  const sign = match?.[1] === '-' ? -1 : 1;
  const offsetMinutes = match?.[2] ? sign * (Number(match[2]) * 60 + Number(match[3])) : 0;
  return {
    year: numeric.year!,
    month: numeric.month!,
    day: numeric.day!,
    hour: numeric.hour!,
    minute: numeric.minute!,
    second: numeric.second!,
    weekday: named.weekday!,
    monthShort: named.month!,
    zoneShort: named.timeZoneName!,
    offsetMinutes,
  };
}

/** Graph's datetime format, in the given zone: `2024-03-12T15:02:47-0700`. */
export function graphDateTime(instant: Date, timeZone: string): string {
  const parts = zonedParts(instant, timeZone);
  const offset = Math.abs(parts.offsetMinutes);
  const sign = parts.offsetMinutes < 0 ? '-' : '+';
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${sign}${pad(Math.floor(offset / 60))}${pad(offset % 60)}`;
}

/** The zone's current offset from UTC in hours (Meta's `timezone_offset_hours_utc`, e.g. 5.5 or -7). */
export function offsetHours(instant: Date, timeZone: string): number {
  return zonedParts(instant, timeZone).offsetMinutes / 60;
}

/**
 * The date style of Meta's expiry message, in Pacific time as Meta prints it:
 * `Tuesday, 03-Mar-26 04:00:00 PST`.
 */
export function expiryDate(instant: Date): string {
  const parts = zonedParts(instant, 'America/Los_Angeles');
  return `${parts.weekday}, ${parts.day}-${parts.monthShort}-${parts.year.slice(-2)} ${parts.hour}:${parts.minute}:${parts.second} ${parts.zoneShort}`;
}
