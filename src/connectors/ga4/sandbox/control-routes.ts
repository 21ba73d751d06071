/**
 * Sandbox-only control routes of the GA4 sandbox, beside the host's control API: the committed service-account
 * key files (`GET /_control/service-account-key?email=`), so the UI's setup guide and tests can fetch one.
 */
import type { FastifyInstance } from 'fastify';
import { seedServiceAccounts } from './seed.ts';
import { keyFileText } from './service-accounts.ts';
import { field } from './wire.ts';

/** Registers the sandbox-only control routes under `/_control/`. */
export function registerControlRoutes(app: FastifyInstance): void {
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
