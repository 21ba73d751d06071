/**
 * Registers every endpoint of the contract on fastify: validates params, query and body with the
 * endpoint's zod schemas (errors name the field), calls the handler, sends the success status.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';
import type { AppContext } from '../connections/context.ts';
import {
  type Endpoint,
  type EndpointInput,
  type EndpointName,
  type EndpointResult,
  endpoints,
} from '../contract/endpoints.ts';
import { type ErrorCode, TributaryError } from '../domain/errors.ts';
import { recordAudit } from './auditTrail.ts';
import { enforceAccess, enforceOwnership, type ResolvedCaller, resolveCaller } from './authentication.ts';

/** What a handler receives: the validated request and its caller (null only on public endpoints). */
export type HandlerInput<N extends EndpointName> = EndpointInput<N> & { caller: ResolvedCaller | null };

/** A handler of endpoint `N`. It may take over the reply (redirects, HTML) and return undefined. */
export type Handler<N extends EndpointName> = (
  input: HandlerInput<N>,
  context: AppContext,
  reply: FastifyReply,
) => Promise<EndpointResult<N> | undefined>;

/** The workspace a handler acts in: always set past {@link enforceAccess} for workspace endpoints. */
export function workspaceOf(input: { caller: ResolvedCaller | null }): {
  workspaceId: string;
  caller: ResolvedCaller;
} {
  const caller = input.caller;
  if (!caller?.workspaceId) throw new TributaryError('workspace_not_found', 'No workspace chosen');
  return { workspaceId: caller.workspaceId, caller };
}

export type Handlers = { [N in EndpointName]: Handler<N> };

/** How deep a request's JSON may nest: our schemas need a handful of levels; thousands would exhaust the stack. */
const MAX_DEPTH = 64;

/**
 * Finds a NUL character anywhere in a value (PostgreSQL text cannot hold one, so it is refused up front), or
 * nesting deeper than {@link MAX_DEPTH}. Walks with its own stack, so no input can overflow the call stack.
 */
function problemIn(value: unknown, location: string): string | null {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path: location, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: item, path, depth } = next;
    if (typeof item === 'string') {
      if (item.includes('\u0000')) return `${path}: contains a NUL character`;
      continue;
    }
    if (!item || typeof item !== 'object') continue;
    if (depth >= MAX_DEPTH) return `${location}: nested more than ${MAX_DEPTH} levels deep`;
    for (const [key, child] of Object.entries(item)) {
      if (key.includes('\u0000')) return `${path}.${key}: contains a NUL character`;
      pending.push({ value: child, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
  return null;
}

function validate(schema: z.ZodType | undefined, value: unknown, location: string): unknown {
  if (!schema) return undefined;
  const problem = problemIn(value, location);
  if (problem) throw new TributaryError('validation_failed', `Invalid request — ${problem}`);
  const result = schema.safeParse(value ?? (location === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    location,
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  // Sort keys and cursors have their own codes, so clients can tell them apart.
  const code: ErrorCode =
    location === 'query' && first?.path === 'sort'
      ? 'invalid_sort'
      : location === 'query' && first?.path === 'cursor'
        ? 'invalid_cursor'
        : 'validation_failed';
  const summary = issues
    .slice(0, 5)
    .map((issue) => `${issue.location}${issue.path ? `.${issue.path}` : ''}: ${issue.message}`)
    .join('; ');
  throw new TributaryError(code, `Invalid request — ${summary}`, { details: { issues } });
}

/** Registers the routes of the endpoint table. */
export function registerRoutes(app: FastifyInstance, context: AppContext, handlers: Handlers): void {
  for (const [name, endpoint] of Object.entries(endpoints) as [EndpointName, Endpoint][]) {
    const handler = handlers[name] as Handler<EndpointName>;
    app.route({
      method: endpoint.method,
      url: endpoint.path,
      handler: async (request, reply) => {
        // A public endpoint serves anonymous callers: a bad or stale credential there is simply ignored.
        const caller =
          endpoint.access === 'public'
            ? await resolveCaller(request, context).catch(() => null)
            : await resolveCaller(request, context);
        enforceAccess(endpoint, caller, request);
        const input = {
          params: validate(endpoint.params, request.params, 'path'),
          query: validate(endpoint.query, request.query, 'query'),
          body: validate(endpoint.body, request.body, 'body'),
          caller,
        } as HandlerInput<EndpointName>;
        await enforceOwnership(endpoint, input, caller, context);
        const result = await handler(input, context, reply);
        await recordAudit(name, endpoint, input, result, caller, context);
        if (reply.sent) return reply;
        reply.code(endpoint.success.status);
        return endpoint.success.schema ? result : reply.send();
      },
    });
  }
}
