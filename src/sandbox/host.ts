/**
 * The sandbox host: mounts every provider's fake API under `/sandbox/<provider>/` and serves the
 * control API under `/sandbox/_control/` (seeded users, fault injection, issued tokens).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  type SandboxContext,
  type SandboxFault,
  type SandboxProvider,
  sandboxFaults,
} from '../connectors/kit/types.ts';

/** A token the sandbox issued, as `GET /sandbox/_control/tokens` lists it. */
export interface IssuedToken {
  provider: string;
  kind: 'access_token' | 'refresh_token' | 'code';
  value: string;
  user: string;
  issuedAt: string;
}

/** Pending faults and issued tokens, shared by every provider sandbox in one process. */
export class SandboxState implements SandboxContext {
  private readonly faults = new Map<string, { fault: SandboxFault; remaining: number }[]>();
  readonly issued: IssuedToken[] = [];
  /** How far the virtual clock runs ahead of the real one, in ms. */
  private clockOffsetMs = 0;

  takeFault(provider: string): SandboxFault | null {
    const queue = this.faults.get(provider);
    const head = queue?.[0];
    if (!queue || !head) return null;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.fault;
  }

  addFault(provider: string, fault: SandboxFault, count: number): void {
    const queue = this.faults.get(provider) ?? [];
    queue.push({ fault, remaining: count });
    this.faults.set(provider, queue);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  pendingFaults(): { provider: string; fault: SandboxFault; remaining: number }[] {
    return [...this.faults.entries()].flatMap(([provider, queue]) =>
      queue.map((entry) => ({ provider, ...entry })),
    );
  }

  recordToken(
    provider: string,
    token: { kind: 'access_token' | 'refresh_token' | 'code'; value: string; user: string },
  ): void {
    this.issued.push({ provider, ...token, issuedAt: this.now().toISOString() });
  }

  now(): Date {
    return new Date(Date.now() + this.clockOffsetMs);
  }

  /** Moves the virtual clock forward by `ms` (never backwards: providers do not un-restate). */
  advanceClock(ms: number): void {
    this.clockOffsetMs += Math.max(0, ms);
  }

  /** Sets the virtual clock to `at` when it is ahead of the current virtual time. */
  setClock(at: Date): void {
    this.clockOffsetMs = Math.max(this.clockOffsetMs, at.getTime() - Date.now());
  }
}

const clockBody = z
  .strictObject({
    advanceDays: z.number().min(0).max(3650).optional(),
    advanceMs: z
      .number()
      .int()
      .min(0)
      .max(10 * 365 * 86_400_000)
      .optional(),
    set: z.iso.datetime().optional(),
  })
  .refine(
    (body) =>
      [body.advanceDays, body.advanceMs, body.set].filter((value) => value !== undefined).length === 1,
    {
      message: 'give exactly one of advanceDays, advanceMs, set',
    },
  );

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const truthQuery = z.strictObject({
  provider: z.string().min(1).max(64),
  account: z.string().min(1).max(64),
  from: z.string().regex(DAY, 'from must be YYYY-MM-DD'),
  to: z.string().regex(DAY, 'to must be YYYY-MM-DD'),
});

const faultBody = z.strictObject({
  provider: z.string().min(1).max(64),
  fault: z.enum(sandboxFaults),
  count: z.number().int().min(1).max(10_000).default(1),
});

function sendError(reply: import('fastify').FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } });
}

/** Registers every provider sandbox and the control API on `app` (at the root of the server). */
export function registerSandboxes(
  app: FastifyInstance,
  providers: SandboxProvider[],
  state: SandboxState,
): void {
  for (const provider of providers) {
    app.register(
      async (scoped) => {
        provider.register(scoped, state);
      },
      { prefix: `/sandbox/${provider.provider}` },
    );
  }

  app.get('/sandbox/_control/users', async () => ({
    providers: providers.map((provider) => ({ provider: provider.provider, users: provider.users() })),
  }));

  app.get('/sandbox/_control/tokens', async () => ({ tokens: state.issued }));

  app.get('/sandbox/_control/clock', async () => ({ now: state.now().toISOString() }));

  app.post('/sandbox/_control/clock', async (request, reply) => {
    const parsed = clockBody.safeParse(request.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`,
      );
      return sendError(reply, 400, 'validation_failed', `Invalid clock change: ${issues.join('; ')}`);
    }
    const { advanceDays, advanceMs, set } = parsed.data;
    if (advanceDays !== undefined) state.advanceClock(advanceDays * 86_400_000);
    if (advanceMs !== undefined) state.advanceClock(advanceMs);
    if (set !== undefined) state.setClock(new Date(set));
    return { now: state.now().toISOString() };
  });

  app.get('/sandbox/_control/truth', async (request, reply) => {
    const parsed = truthQuery.safeParse(request.query);
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`,
      );
      return sendError(reply, 400, 'validation_failed', `Invalid truth query: ${issues.join('; ')}`);
    }
    const { provider: id, account, from, to } = parsed.data;
    if (from > to) return sendError(reply, 400, 'validation_failed', 'from must not be after to');
    const provider = providers.find((candidate) => candidate.provider === id);
    if (!provider?.truth)
      return sendError(reply, 400, 'unknown_data_source', `No sandbox truth for provider "${id}"`);
    const days = provider.truth(account, from, to, state);
    if (!days) return sendError(reply, 404, 'not_found', `The ${id} sandbox has no account "${account}"`);
    return { provider: id, account, asOf: state.now().toISOString(), days };
  });

  app.get('/sandbox/_control/faults', async () => ({ faults: state.pendingFaults() }));

  app.delete('/sandbox/_control/faults', async () => {
    state.clearFaults();
    return { faults: [] };
  });

  app.post('/sandbox/_control/faults', async (request, reply) => {
    const parsed = faultBody.safeParse(request.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`,
      );
      return sendError(reply, 400, 'validation_failed', `Invalid fault: ${issues.join('; ')}`);
    }
    const { provider, fault, count } = parsed.data;
    if (!providers.some((candidate) => candidate.provider === provider)) {
      const known = providers.map((candidate) => candidate.provider).join(', ');
      return sendError(
        reply,
        400,
        'unknown_data_source',
        `No sandbox for provider "${provider}"; known: ${known}`,
      );
    }
    state.addFault(provider, fault, count);
    return reply.code(201).send({ faults: state.pendingFaults() });
  });
}
