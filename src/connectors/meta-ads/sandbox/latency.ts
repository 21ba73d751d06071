/**
 * A sandbox control for latency: every insights call (sync reads, report-run creation, status polls and
 * result pages) is answered only after `insightsDelayMs`, like a provider that takes time to compute. Benchmarks
 * use it to make extraction throughput bound by waiting rather than by CPU (e.g. worker scale-out).
 *
 * `GET|POST /_control/latency` with `{ "insightsDelayMs": n }` (0 by default; sandbox control, not Graph).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { sleep } from '../../kit/http.ts';

/** Graph paths the delay applies to: `act_{id}/insights`, `{report_run_id}` and `{report_run_id}/insights`. */
const INSIGHTS_PATH = /\/v\d+\.\d+\/(act_\d+\/insights|\d+(\/insights)?)(\?|$)/;

const latencyBody = z.strictObject({ insightsDelayMs: z.number().int().min(0).max(60_000) });

/** Registers the delay hook and its control route on the Meta sandbox's scope. */
export function registerLatencyControl(app: FastifyInstance): void {
  let insightsDelayMs = 0;
  app.addHook('onRequest', async (request) => {
    if (insightsDelayMs > 0 && INSIGHTS_PATH.test(request.url)) await sleep(insightsDelayMs);
  });
  app.get('/_control/latency', async () => ({ insightsDelayMs }));
  app.post('/_control/latency', async (request, reply) => {
    const parsed = latencyBody.safeParse(request.body);
    if (!parsed.success) {
      return reply.code(400).send({
        error: { code: 'validation_failed', message: `Invalid latency: ${parsed.error.issues[0]?.message}` },
      });
    }
    insightsDelayMs = parsed.data.insightsDelayMs;
    return { insightsDelayMs };
  });
}
