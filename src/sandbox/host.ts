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
    return new Date();
  }
}

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
