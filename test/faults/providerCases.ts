/**
 * What the fault matrix extracts from each provider's sandbox, and which faults it injects there. The fault lists
 * follow each sandbox's own fault frame (`src/connectors/<provider>/sandbox/call.ts`): a fault a provider's sandbox
 * cannot render (an async report fault on a synchronous API, a daily quota where the provider's throttle is per
 * second) is not in that provider's list.
 */
import type { SandboxTruthDay } from '../../src/connectors/kit/types.ts';

/** How a fault is put in place before the faulted run. */
export type FaultInjection =
  /** `POST /sandbox/_control/faults {provider, fault, count}`: the provider's next `count` calls fail so. */
  | { kind: 'sandbox'; fault: string; count: number }
  /** GA4's property quota control: no tokens left for the day on every extracted property. */
  | { kind: 'ga4-daily-quota' };

/** One line of the matrix before it runs. */
export interface FaultCase {
  /** The name printed in the table. */
  name: string;
  injection: FaultInjection;
  /**
   * The quota is gone for longer than a test can wait (an hour, a day): the run parks its slices until the reset,
   * so the case checks the parking, cancels the run and does not re-run (the connector's shared quota memory
   * keeps the account blocked in this process). Such cases run last for their provider.
   */
  longQuota?: boolean;
  /** How long the faulted run may take to end (2 minutes unless given). */
  patienceMs?: number;
}

/** A provider's extraction under test. */
export interface ProviderCase {
  provider: string;
  email: string;
  templateId: string;
  metrics: string[];
  /** How many of the user's active accounts to extract (few: the matrix is about faults, not volume). */
  accounts: number;
  /** The destination columns the truth pins, by the sandbox truth's figures. */
  expected(day: SandboxTruthDay): Record<string, number>;
  /** Columns compared with a tolerance (money lands with 4 decimals). */
  money: string[];
  /** Every fault this provider's sandbox can inject, in run order (long quota waits last). */
  faults: FaultCase[];
  /** The faults of the short variant (`npm test`). */
  short: string[];
}

const sandbox = (name: string, fault: string, count = 1, longQuota = false): FaultCase => ({
  name,
  injection: { kind: 'sandbox', fault, count },
  ...(longQuota ? { longQuota } : {}),
});

/**
 * The faults every sandbox renders. The HTTP client retries twice (the test apps' settings), so a burst of 3 is
 * past its retries and reaches the engine, which retries the slice.
 */
const common = (): FaultCase[] => [
  sandbox('token expired mid-run', 'token_expired'),
  sandbox('token revoked', 'revoked'),
  sandbox('permission lost', 'permission_denied'),
  sandbox('5xx burst (3)', 'server_error', 3),
  sandbox('5xx burst (12)', 'server_error', 12),
  sandbox('hang past the timeout', 'hang'),
  sandbox('malformed JSON', 'malformed'),
  sandbox('truncated page', 'truncated_page'),
];

/** The five providers, each with its whole fault list. */
export const providerCases: ProviderCase[] = [
  {
    provider: 'meta-ads',
    email: 'alex@example.com',
    templateId: 'meta-ads.ad_daily',
    metrics: ['impressions', 'clicks', 'spend'],
    accounts: 2,
    expected: (day) => ({ impressions: day.impressions, clicks: day.clicks, spend: day.spend }),
    money: ['spend'],
    faults: [
      ...common(),
      sandbox('async report failed', 'async_job_failed'),
      // The poll gives up after 60 request timeouts (5 minutes with the test apps' 5 s), then the slice is retried.
      { ...sandbox('async report never finishes', 'async_job_hangs'), patienceMs: 420_000 },
      // Meta's usage header says when the account regains access (minutes): the slice parks that long.
      sandbox('rate limited (x-business-use-case-usage)', 'rate_limited', 1, true),
    ],
    short: ['token expired mid-run', '5xx burst (3)', 'async report failed'],
  },
  {
    provider: 'tiktok-ads',
    email: 'alex@example.com',
    templateId: 'tiktok-ads.campaign_daily',
    metrics: ['spend', 'impressions', 'clicks', 'conversion'],
    accounts: 2,
    expected: (day) => ({
      impressions: day.impressions,
      clicks: day.clicks,
      conversion: day.conversions,
      spend: day.spend,
    }),
    money: ['spend'],
    // TikTok's 40100 is a per-second throttle (waited out in the run); it has no daily quota error to inject.
    faults: [...common(), sandbox('rate limited (40100)', 'rate_limited')],
    short: ['permission lost', 'truncated page'],
  },
  {
    provider: 'google-ads',
    email: 'alex@example.com',
    templateId: 'google-ads.campaign_daily',
    metrics: ['spend', 'impressions', 'clicks'],
    accounts: 2,
    expected: (day) => ({ impressions: day.impressions, clicks: day.clicks, spend: day.spend }),
    money: ['spend'],
    // RESOURCE_TEMPORARILY_EXHAUSTED with quotaErrorDetails.retryDelay 2s: waited out within the run.
    faults: [...common(), sandbox('rate limited (retryDelay)', 'rate_limited')],
    short: ['token revoked', 'malformed JSON'],
  },
  {
    provider: 'linkedin-ads',
    email: 'alex@example.com',
    templateId: 'linkedin-ads.campaign_daily',
    metrics: ['cost_in_local_currency', 'impressions', 'clicks', 'external_website_conversions'],
    accounts: 2,
    expected: (day) => ({
      impressions: day.impressions,
      clicks: day.clicks,
      external_website_conversions: day.conversions,
      cost_in_local_currency: day.spend,
    }),
    money: ['cost_in_local_currency'],
    // LinkedIn's 429 is the APPLICATION DAY limit: no reset header, it resets at midnight UTC.
    faults: [...common(), sandbox('quota exhausted for the day (429 DAY)', 'rate_limited', 1, true)],
    short: ['5xx burst (12)', 'hang past the timeout'],
  },
  {
    provider: 'ga4',
    email: 'alex@example.com',
    templateId: 'ga4.traffic_daily',
    metrics: ['sessions', 'screen_page_views', 'key_events'],
    accounts: 2,
    expected: (day) => ({
      sessions: day.metrics?.sessions ?? 0,
      screen_page_views: day.metrics?.screenPageViews ?? 0,
      key_events: day.conversions,
    }),
    money: [],
    faults: [
      ...common(),
      // propertyTokensPerHour: resets at the next hour.
      sandbox('rate limited (tokens per hour)', 'rate_limited', 1, true),
      { name: 'quota exhausted for the day', injection: { kind: 'ga4-daily-quota' }, longQuota: true },
    ],
    short: ['token expired mid-run', 'quota exhausted for the day'],
  },
];
