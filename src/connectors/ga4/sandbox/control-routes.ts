/**
 * Sandbox-only control routes of the GA4 sandbox, beside the host's control API: the committed service-account
 * key files (`GET /_control/service-account-key?email=`), so the UI's setup guide and tests can fetch one, and
 * the property token budgets (`POST /_control/quota {property, tokensPerHour?, tokensPerDay?}` sets what remains
 * in the current virtual hour/day; `GET /_control/quota?property=` reads them).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { SandboxDeps } from './call.ts';
import { QUOTA } from './constants.ts';
import { findProperty, seedServiceAccounts } from './seed.ts';
import { keyFileText } from './service-accounts.ts';
import { field } from './wire.ts';

/** Registers the sandbox-only control routes under `/_control/`. */
export function registerControlRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  const invalid = (reply: FastifyReply, message: string) =>
    reply.code(400).send({ error: { code: 'validation_failed', message } });
  app.get('/_control/quota', async (request, reply) => {
    const property = field(request.query, 'property') ?? '';
    if (!findProperty(property)) return invalid(reply, `No sandbox property "${property}"`);
    return { property, propertyQuota: deps.quota.status(property, 0, deps.context.now()) };
  });
  app.post('/_control/quota', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const property = typeof body.property === 'string' ? body.property.replace(/^properties\//, '') : '';
    if (!findProperty(property)) return invalid(reply, `No sandbox property "${property}"`);
    const unknown = Object.keys(body).find(
      (key) => !['property', 'tokensPerHour', 'tokensPerDay'].includes(key),
    );
    if (unknown)
      return invalid(reply, `Unknown field "${unknown}"; give property, tokensPerHour, tokensPerDay`);
    const remaining: { tokensPerHour?: number; tokensPerDay?: number } = {};
    for (const [name, limit] of [
      ['tokensPerHour', QUOTA.tokensPerHour],
      ['tokensPerDay', QUOTA.tokensPerDay],
    ] as const) {
      const value = body[name];
      if (value === undefined) continue;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > limit) {
        return invalid(reply, `${name} must be an integer from 0 to ${limit}`);
      }
      remaining[name] = value;
    }
    const now = deps.context.now();
    deps.quota.setRemaining(property, remaining, now);
    return { property, propertyQuota: deps.quota.status(property, 0, now) };
  });
  app.get('/_control/service-account-key', async (request, reply) => {
    const email = field(request.query, 'email');
    const text = email ? keyFileText(email) : undefined;
    if (!text) {
      const known = seedServiceAccounts.map((account) => account.email).join(', ');
      return reply.code(404).send({
        error: {
          code: 'not_found',
          message: `No sandbox service account "${email ?? ''}"; known: ${known}`,
        },
      });
    }
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${email!.split('@')[0]}-sandbox-key.json"`)
      .send(text);
  });
}
