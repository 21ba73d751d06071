/**
 * The HTTP app: the API routes from the contract, the OpenAPI document, the sandbox (in
 * embedded mode), one error body for every failure, and request logs without secrets.
 */

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
} from 'fastify';
import type { Logger } from 'pino';
import type { AppContext } from '../connections/context.ts';
import type { SandboxProvider } from '../connectors/kit/types.ts';
import { buildOpenApiDocument } from '../contract/openapi.ts';
import { type ErrorCode, errorCodes, TributaryError } from '../domain/errors.ts';
import { registerSandboxes, type SandboxState } from '../sandbox/host.ts';
import { handlers } from './handlers/index.ts';
import { registerMetrics } from './metrics.ts';
import { registerRateLimit } from './rateLimit.ts';
import { registerRoutes } from './routes.ts';
import { registerSecurityHeaders } from './securityHeaders.ts';
import { registerWebApp } from './webApp.ts';

export interface ServerOptions {
  context: AppContext;
  logger: Logger;
  /** Provider sandboxes to mount, or null when sandboxes are off. */
  sandbox: { providers: readonly SandboxProvider[]; state: SandboxState } | null;
  /** API requests per minute per client (`TRIBUTARY_API_RATE_LIMIT`); unset means unlimited. */
  apiRateLimit?: number;
}

/** The body every error response carries. */
export function errorBody(code: ErrorCode, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

/** Maps fastify's own errors (bad JSON, wrong content type, too large) to our codes; they are all the caller's. */
function frameworkErrorCode(error: FastifyError): ErrorCode {
  if (error.statusCode === 415) return 'unsupported_media_type';
  if (error.statusCode === 413) return 'payload_too_large';
  if (error.statusCode === 405) return 'method_not_allowed';
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) return 'invalid_json';
  return 'validation_failed';
}

/**
 * Answers requests Node's HTTP parser refuses before fastify sees them (a request line and headers over 16 KB, a
 * malformed request) with our error body instead of fastify's own shape, then closes the connection as Node does.
 */
function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code: ErrorCode = error.code === 'HPE_HEADER_OVERFLOW' ? 'uri_too_long' : 'validation_failed';
  const message =
    code === 'uri_too_long'
      ? 'The URL and headers exceed the 16 KB the server reads'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'The request did not arrive in time'
        : `Malformed HTTP request (${error.code ?? 'unreadable'})`;
  const body = JSON.stringify(errorBody(code, message));
  const status = errorCodes[code].httpStatus;
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(error);
}

export function buildServer(options: ServerOptions): FastifyInstance {
  const { context } = options;
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    genReqId: () => crypto.randomUUID(),
    routerOptions: { maxParamLength: 200 },
    clientErrorHandler,
    // Errors the router raises before any route runs (over-long or badly encoded paths) get our body too.
    frameworkErrors: (error, request, reply) => {
      const code: ErrorCode =
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'uri_too_long' : 'validation_failed';
      const path = (request.url ?? '').split('?')[0]!.slice(0, 80);
      const raw = reply as unknown as FastifyReply;
      raw.code(errorCodes[code].httpStatus).send(errorBody(code, `Cannot route ${path}…: ${error.code}`));
    },
  });

  // The API speaks JSON only: a text body is refused with 415 rather than half-parsed.
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error: FastifyError | TributaryError, request, reply) => {
    if (error instanceof TributaryError) {
      if (error.category === 'internal') request.log.error({ err: error.cause ?? error }, 'request failed');
      // A refusal that says when to come back (sign-in throttling) says it in the standard header too.
      const wait = error.details?.retryAfterSeconds;
      if (error.httpStatus === 429 && typeof wait === 'number') reply.header('retry-after', String(wait));
      return reply.code(error.httpStatus).send(errorBody(error.code, error.message, error.details));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = frameworkErrorCode(error);
      return reply.code(errorCodes[code].httpStatus).send(errorBody(code, error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply
      .code(500)
      .send(errorBody('internal_error', 'Internal error; the server log has the details'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(errorBody('route_not_found', `No endpoint ${request.method} ${request.url.split('?')[0]}`));
  });

  registerSecurityHeaders(app);
  if (options.apiRateLimit) registerRateLimit(app, { requestsPerMinute: options.apiRateLimit });
  registerRoutes(app, context, handlers);
  const openapi = buildOpenApiDocument(context.version);
  app.get('/api/v1/openapi.json', async () => openapi);
  registerMetrics(app, context);
  registerWebApp(app, (method, url) => ({
    status: 404,
    body: errorBody('route_not_found', `No endpoint ${method} ${url.split('?')[0]}`),
  }));
  if (options.sandbox) registerSandboxes(app, [...options.sandbox.providers], options.sandbox.state);
  return app;
}
