/**
 * Real objects for the fuzzer's reads to find: a connection authorized in the sandbox, an extraction on it with
 * one finished run (so data, daily totals and the ledger exist), a webhook, the default destination. Nothing is
 * left to move on its own afterwards: no schedules, a webhook for an event nothing raises, the store settled.
 */

import { connectSandboxUser, runEnded, type TestApp } from '../harness.ts';
import { settledSnapshot } from '../storeSnapshot.ts';

/** Ids of real objects of every kind a GET endpoint takes, by kind (as the endpoint table's `owns` names them). */
export async function seedReadableObjects(app: TestApp): Promise<Record<string, string[]>> {
  const connection = await connectSandboxUser(app, 'alex@example.com');
  const extraction = await app.api.call('createExtraction', {
    body: { connectionId: connection.id, templateId: 'meta-ads.campaign_daily', schedules: [] },
  });
  const today = new Date();
  const day = (back: number) => new Date(today.getTime() - back * 86_400_000).toISOString().slice(0, 10);
  const queued = await app.api.call('startExtractionRun', {
    params: { id: extraction.id },
    body: { from: day(3), to: day(1) },
  });
  const run = await runEnded(app, queued.id);
  if (run.status !== 'succeeded') throw new Error(`The seed run ended ${run.status}`);
  const webhook = await app.api.call('createWebhook', {
    body: { url: 'http://127.0.0.1:9/never', events: ['connection.revoked'] },
  });
  const destinations = await app.api.call('listDestinations', {});
  await settledSnapshot(app);
  return {
    connection: [connection.id],
    sharedConnection: [connection.id],
    extraction: [extraction.id],
    run: [run.id],
    webhook: [webhook.id],
    destination: destinations.items.map((destination) => destination.id),
    template: [extraction.templateId],
    dataSource: ['meta-ads', 'google-ads'],
  };
}
