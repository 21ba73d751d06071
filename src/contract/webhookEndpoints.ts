/**
 * Endpoints of webhooks: where events are delivered, signed, with a delivery log.
 */
import { z } from 'zod';
import type { ErrorCode } from '../domain/errors.ts';
import type { Endpoint } from './endpoints.ts';
import { idParamsSchema } from './schemas.ts';

const common: ErrorCode[] = ['validation_failed'];

export const webhookSchema = z
  .object({
    id: z.uuid(),
    url: z.string(),
    events: z.array(z.string()).describe('Event types delivered; empty means all'),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Webhook' });

export const createWebhookBodySchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: () => 'url must be an http(s) URL' }).max(2000),
  events: z
    .array(z.string().regex(/^[a-z]+\.[a-z_]+$/, 'event types look like run.failed'))
    .max(50)
    .default([]),
});

export const webhookEndpoints = {
  listWebhooks: {
    method: 'GET',
    access: 'read',
    path: '/api/v1/webhooks',
    summary: 'Webhooks that receive events',
    success: { status: 200, schema: z.object({ items: z.array(webhookSchema) }) },
    errors: [],
  },
  createWebhook: {
    method: 'POST',
    access: 'write',
    path: '/api/v1/webhooks',
    summary: 'Add a webhook; the signing secret is shown once',
    body: createWebhookBodySchema,
    success: {
      status: 201,
      schema: webhookSchema.extend({
        secret: z
          .string()
          .describe('HMAC-SHA256 key: X-Tributary-Signature is t=<unix>,v1=<hex of HMAC("<t>.<body>")>'),
      }),
    },
    errors: [...common],
  },
  deleteWebhook: {
    method: 'DELETE',
    access: 'write',
    owns: { params: { id: 'webhook' } },
    path: '/api/v1/webhooks/:id',
    summary: 'Remove a webhook and its delivery log',
    params: idParamsSchema,
    success: { status: 204, schema: null },
    errors: [...common, 'not_found'],
  },
  listWebhookDeliveries: {
    method: 'GET',
    access: 'read',
    owns: { params: { id: 'webhook' } },
    path: '/api/v1/webhooks/:id/deliveries',
    summary: 'The delivery log, newest first',
    params: idParamsSchema,
    success: {
      status: 200,
      schema: z.object({
        items: z.array(
          z.object({
            id: z.number().int(),
            eventId: z.number().int(),
            status: z.enum(['pending', 'delivered', 'failed']),
            attempts: z.number().int(),
            nextAttemptAt: z.iso.datetime().nullable(),
            lastStatus: z.number().int().nullable(),
            lastError: z.string().nullable(),
            deliveredAt: z.iso.datetime().nullable(),
          }),
        ),
      }),
    },
    errors: [...common, 'not_found'],
  },
} as const satisfies Record<string, Endpoint>;
