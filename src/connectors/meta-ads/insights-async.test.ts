import { describe, expect, it } from 'vitest';
import {
  buildExtraction,
  callLog,
  drain,
  INSIGHTS_PATH,
  RUN_ID,
  recordingHooks,
  reportRequest,
} from './insights-test-kit.ts';
import type { ReplayAnswer } from './replay-fetch.ts';
import { graph, okFixture, TOKEN } from './replay-fetch.ts';

const CREATED = okFixture('insights/report_run_created.json');
const NOT_STARTED = okFixture('insights/report_run_not_started.json');
const RUNNING = okFixture('insights/report_run_running.json');
const COMPLETED = okFixture('insights/report_run_completed.json');
const RESULTS = [
  okFixture('insights/report_run_results_page_1.json'),
  okFixture('insights/report_run_results_page_2.json'),
];

/** Graph's 100/33 answer for an object it cannot load (here: a run id polled right after creation). */
const NOT_YET_VISIBLE: ReplayAnswer = {
  status: 400,
  body: {
    error: {
      message: `Unsupported get request. Object with ID '${RUN_ID}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      type: 'GraphMethodException',
      code: 100,
      error_subcode: 33,
      fbtrace_id: 'AfixtureTrace100race',
    },
  },
};

function asyncGraph(polls: ReplayAnswer[], results: ReplayAnswer[] = RESULTS) {
  return graph({
    [`POST ${INSIGHTS_PATH}`]: CREATED,
    [`GET /${RUN_ID}`]: polls,
    [`GET /${RUN_ID}/insights`]: results,
  });
}

const ageRequest = reportRequest('ads_by_age_gender', {
  dimensions: ['campaign_id', 'ad_id', 'age', 'gender'],
  metrics: ['impressions', 'spend', 'clicks', 'actions:purchase', 'action_values:purchase'],
});

describe('async report run', () => {
  it('creates the run with form-encoded parameters, polls until completed, then reads its pages', async () => {
    const { extraction, requests } = buildExtraction(asyncGraph([NOT_STARTED, RUNNING, COMPLETED]));
    const hooks = recordingHooks();
    const pages = await drain(extraction.read(TOKEN, ageRequest, hooks));

    expect(callLog(requests)).toEqual([
      `POST ${INSIGHTS_PATH}`,
      `GET /${RUN_ID}`,
      `GET /${RUN_ID}`,
      `GET /${RUN_ID}`,
      `GET /${RUN_ID}/insights`,
      `GET /${RUN_ID}/insights`,
    ]);
    expect(hooks.calls).toBe(6);
    const [create, poll, , , results, next] = requests;
    expect(create!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(create!.url.search).toBe('');
    expect(Object.fromEntries(new URLSearchParams(create!.body))).toEqual({
      level: 'ad',
      fields: 'campaign_id,ad_id,impressions,clicks,spend,actions,action_values',
      breakdowns: 'age,gender',
      action_breakdowns: 'action_type',
      action_attribution_windows: '["7d_click","1d_view"]',
      action_report_time: 'mixed',
      time_range: '{"since":"2026-03-02","until":"2026-03-03"}',
      time_increment: '1',
    });
    expect(poll!.url.searchParams.get('fields')).toBe(
      'id,async_status,async_percent_completion,error_code,error_message,error_subcode,error_user_title,error_user_msg',
    );
    expect(Object.fromEntries(results!.url.searchParams)).toEqual({ limit: '500' });
    expect(next!.url.searchParams.get('after')).toBe('QVFIfixtureRunAfter1');
    for (const request of requests)
      expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN.accessToken}`);

    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    expect(pages[0]).toEqual([
      {
        date: '2026-03-02',
        campaign_id: '120210000000000101',
        ad_id: '120210000000000301',
        age: '25-34',
        gender: 'female',
        impressions: 2480,
        clicks: 61,
        spend: 37.21,
        actions_purchase: 3,
        action_values_purchase: 214.5,
      },
      {
        date: '2026-03-02',
        campaign_id: '120210000000000101',
        ad_id: '120210000000000301',
        age: '35-44',
        gender: 'male',
        impressions: 1322,
        clicks: 19,
        spend: 20.06,
        actions_purchase: 0,
        action_values_purchase: 0,
      },
    ]);
  });

  it('fails with the run error when the job fails, without reading results', async () => {
    const { extraction, requests } = buildExtraction(
      asyncGraph([RUNNING, okFixture('insights/report_run_failed.json')]),
    );
    const error = await drain(extraction.read(TOKEN, ageRequest, recordingHooks())).catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'TributaryError',
      code: 'provider_error',
      message: `Meta Ads: insights report run ${RUN_ID} failed: Report failed to complete. Please try again later. (code -2, subcode 2490547)`,
      details: { providerCode: -2, providerSubcode: 2490547, reportRunId: RUN_ID },
    });
    expect(callLog(requests)).not.toContain(`GET /${RUN_ID}/insights`);
  });

  it('marks a run that failed with a transient code as retryable', async () => {
    const { extraction } = buildExtraction(
      asyncGraph([okFixture('insights/report_run_failed_transient.json')]),
    );
    const error = await drain(extraction.read(TOKEN, ageRequest, recordingHooks())).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'provider_unavailable', retryable: true });
  });

  it('treats a skipped run as transient', async () => {
    const skipped = { body: { id: RUN_ID, async_status: 'Job Skipped', async_percent_completion: 0 } };
    const { extraction } = buildExtraction(asyncGraph([skipped]));
    await expect(drain(extraction.read(TOKEN, ageRequest, recordingHooks()))).rejects.toMatchObject({
      code: 'provider_unavailable',
    });
  });

  it('gives up on a run that never finishes with provider_timeout', async () => {
    // 60 × 15 ms: the run may poll for 0.9 s; polls back off from 1 ms to 10 ms.
    const { extraction, requests } = buildExtraction(asyncGraph([RUNNING]), { timeoutMs: 15 });
    const started = Date.now();
    const error = await drain(extraction.read(TOKEN, ageRequest, recordingHooks())).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'provider_timeout',
      message: `Meta Ads: insights report run ${RUN_ID} did not finish within 1 s (last status: Job Running, 42%)`,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(850);
    const polls = callLog(requests).filter((call) => call === `GET /${RUN_ID}`).length;
    expect(polls).toBeGreaterThan(10);
    expect(callLog(requests)).not.toContain(`GET /${RUN_ID}/insights`);
  });

  it('retries the "does not exist" race right after creating the run', async () => {
    const { extraction, requests } = buildExtraction(asyncGraph([NOT_YET_VISIBLE, COMPLETED]));
    expect((await drain(extraction.read(TOKEN, ageRequest, recordingHooks()))).flat()).toHaveLength(3);
    expect(callLog(requests).filter((call) => call === `GET /${RUN_ID}`)).toHaveLength(2);
  });

  it('rejects a create answer without a numeric report_run_id', async () => {
    for (const body of [{}, { report_run_id: '../me' }]) {
      const { extraction, requests } = buildExtraction(graph({ [`POST ${INSIGHTS_PATH}`]: { body } }));
      await expect(drain(extraction.read(TOKEN, ageRequest, recordingHooks()))).rejects.toMatchObject({
        code: 'provider_malformed_response',
      });
      expect(requests).toHaveLength(1);
    }
  });

  it('stops polling when the read is cancelled', async () => {
    const { extraction, requests } = buildExtraction(asyncGraph([RUNNING]));
    const hooks = recordingHooks();
    const reason = new Error('run cancelled');
    const read = drain(extraction.read(TOKEN, ageRequest, hooks)).catch((e: unknown) => e);
    setTimeout(() => hooks.abort(reason), 30);
    expect(await read).toMatchObject({
      code: 'provider_timeout',
      message: 'Meta Ads: the read was cancelled',
      cause: reason,
    });
    const sent = requests.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(requests.length).toBe(sent);
  });
});
