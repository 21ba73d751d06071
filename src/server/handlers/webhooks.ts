import crypto from 'node:crypto';
import dns from 'node:dns/promises';
import { TributaryError } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { resolvedTargetReason } from '../../domain/networkTargets.ts';
import { type WebhookRecord, webhooksRepository } from '../../store/webhooksRepository.ts';
import { type Handler, workspaceOf } from '../routes.ts';

const view = (record: WebhookRecord) => ({
  id: record.id,
  url: record.url,
  events: record.events,
  createdAt: record.createdAt.toISOString(),
});

async function requireWebhook(
  context: Parameters<Handler<'deleteWebhook'>>[1],
  id: string,
): Promise<WebhookRecord> {
  const record = isUuid(id) ? await webhooksRepository.get(context.db, id) : null;
  if (!record) throw new TributaryError('not_found', `Webhook ${id} does not exist`);
  return record;
}

/** GET /api/v1/webhooks */
export const listWebhooks: Handler<'listWebhooks'> = async (input, context) => {
  const { workspaceId, caller } = workspaceOf(input);
  const records = await webhooksRepository.list(context.db, workspaceId);
  // A webhook URL is often a credential itself (Slack, Teams): a viewer sees only where it goes.
  return {
    items: records.map((record) =>
      caller.role === 'viewer' ? { ...view(record), url: `${new URL(record.url).origin}/…` } : view(record),
    ),
  };
};

/** Resolves a host to all its addresses (for the metadata-address check). */
const resolveHost = async (host: string) =>
  (await dns.lookup(host, { all: true })).map((entry) => entry.address);

/**
 * POST /api/v1/webhooks — the secret is returned once and stored sealed. A URL on a link-local or cloud metadata
 * address is refused (loopback and private networks are fine: receivers often sit beside a self-hosted server).
 */
export const createWebhook: Handler<'createWebhook'> = async (input, context) => {
  const { body } = input;
  const forbidden = await resolvedTargetReason(new URL(body.url).hostname, resolveHost);
  if (forbidden) {
    throw new TributaryError(
      'validation_failed',
      `url points at ${forbidden}; webhooks cannot be sent there`,
      {
        details: { field: 'url' },
      },
    );
  }
  const id = crypto.randomUUID();
  const secret = crypto.randomBytes(32).toString('base64url');
  await webhooksRepository.insert(context.db, {
    id,
    workspaceId: workspaceOf(input).workspaceId,
    url: body.url,
    events: body.events,
    sealedSecret: context.vault.seal(secret, id),
    createdAt: context.now(),
  });
  return { ...view((await webhooksRepository.get(context.db, id))!), secret };
};

/** DELETE /api/v1/webhooks/:id */
export const deleteWebhook: Handler<'deleteWebhook'> = async ({ params }, context) => {
  const record = await requireWebhook(context, params.id);
  await webhooksRepository.delete(context.db, record.id);
  return undefined;
};

/** GET /api/v1/webhooks/:id/deliveries */
export const listWebhookDeliveries: Handler<'listWebhookDeliveries'> = async ({ params }, context) => {
  const record = await requireWebhook(context, params.id);
  const deliveries = await webhooksRepository.deliveries(context.db, record.id, 200);
  return {
    items: deliveries.map((delivery) => ({
      id: delivery.id,
      eventId: delivery.eventId,
      status: delivery.status,
      attempts: delivery.attempts,
      nextAttemptAt: delivery.status === 'pending' ? delivery.nextAttemptAt.toISOString() : null,
      lastStatus: delivery.lastStatus,
      lastError: delivery.lastError,
      deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
    })),
  };
};
