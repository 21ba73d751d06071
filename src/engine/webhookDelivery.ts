/**
 * Webhook delivery: events fan out to pending deliveries, which are sent signed
 * (`X-Tributary-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`), retried with
 * exponential back-off, and kept as the delivery log.
 */
import crypto from 'node:crypto';
import dns from 'node:dns/promises';
import type { AppContext } from '../connections/context.ts';
import { retryDelayMs } from '../domain/extraction.ts';
import { resolvedTargetReason } from '../domain/networkTargets.ts';
import { webhooksRepository } from '../store/webhooksRepository.ts';

export interface WebhookSettings {
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
}

export const defaultWebhookSettings: WebhookSettings = {
  timeoutMs: 10_000,
  maxAttempts: 8,
  retryBaseMs: 30_000,
};

const resolveHost = async (host: string) =>
  (await dns.lookup(host, { all: true })).map((entry) => entry.address);

/** The signature header a receiver checks: HMAC-SHA256 over `<timestamp>.<body>` with the webhook's secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const digest = crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

/** One delivery pass: fan out new events, then send what is due. Returns the number of attempts made. */
export async function deliverWebhooks(context: AppContext, settings: WebhookSettings): Promise<number> {
  const now = context.now();
  await context.db.transaction((tx) => webhooksRepository.fanOut(tx, now));
  const due = await context.db.transaction((tx) =>
    webhooksRepository.claimDue(tx, now, 20, settings.timeoutMs * 2 + 5_000),
  );
  for (const delivery of due) {
    const webhook = await webhooksRepository.get(context.db, delivery.webhookId);
    const event = await webhooksRepository.event(context.db, delivery.eventId);
    if (!webhook || !event) continue;
    const body = JSON.stringify({ ...event, at: event.at.toISOString() });
    const timestamp = Math.floor(context.now().getTime() / 1000);
    const secret = context.vault.open(webhook.sealedSecret, webhook.id);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // Checked again at each delivery: the name may have been pointed at a metadata address since creation.
      const forbidden = await resolvedTargetReason(new URL(webhook.url).hostname, resolveHost);
      if (forbidden) throw new Error(`Refused: the URL points at ${forbidden}`);
      const response = await fetch(webhook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': `Tributary/${context.version}`,
          'x-tributary-event': event.type,
          'x-tributary-delivery': String(delivery.id),
          'x-tributary-signature': signWebhook(secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      status = response.status;
      await response.body?.cancel();
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const attempts = delivery.attempts + 1;
    const delivered = error === null;
    const exhausted = !delivered && attempts >= settings.maxAttempts;
    await webhooksRepository.recordAttempt(context.db, delivery.id, {
      status: delivered ? 'delivered' : exhausted ? 'failed' : 'pending',
      attempts,
      nextAttemptAt: new Date(
        context.now().getTime() +
          (delivered || exhausted ? 0 : retryDelayMs(attempts, settings.retryBaseMs, Math.random)),
      ),
      lastStatus: status,
      lastError: error,
      deliveredAt: delivered ? context.now() : null,
    });
  }
  return due.length;
}
