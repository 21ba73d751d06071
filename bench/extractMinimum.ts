/**
 * The fewest insights requests an extraction's data needs, computed without the engine: the
 * (account, window) pairs come from our own split of the range by the template's window size, and
 * each pair's row count from the sandbox's own row model (the code that answers the requests),
 * asked directly instead of over HTTP.
 *
 * Definitions (Graph's page ceiling is 500 rows; an empty answer still takes one request):
 * - pages(pair) = max(1, ⌈rows(pair) / 500⌉)
 * - sync minimum = Σ pages
 * - async minimum = Σ (1 POST + polls until `Job Completed` + pages). The sandbox completes a
 *   report run at its 3rd status poll, so no client can use fewer than 3 polls.
 */

import { entitiesOf } from '../src/connectors/meta-ads/sandbox/entities.ts';
import { parseInsightsQuery } from '../src/connectors/meta-ads/sandbox/insights-params.ts';
import { InsightsRowCache, viewOf } from '../src/connectors/meta-ads/sandbox/insights-rows.ts';
import { addDays } from '../src/domain/dates.ts';
import { localClock } from '../src/sandbox/calendar.ts';

/** Graph's largest insights page. */
export const PAGE_LIMIT = 500;
/** Status polls a sandbox report run needs before it reports `Job Completed`. */
export const SANDBOX_POLLS_TO_COMPLETE = 3;

/** What the data of one extraction needs, at the least. */
export interface MinimumRequests {
  /** (account, window) pairs: one slice each. */
  pairs: { accountId: string; from: string; to: string; rows: number; pages: number }[];
  rows: number;
  pages: number;
  /** Σ pages: the minimum of a synchronous read. */
  sync: number;
  /** Σ (POST + polls + pages): the minimum of an async report-run read. */
  async: number;
}

/** Splits `from`..`to` into windows of at most `size` days, counted back from `to`. */
export function windowsOf(from: string, to: string, size: number): { from: string; to: string }[] {
  const windows: { from: string; to: string }[] = [];
  let end = to;
  while (end >= from) {
    const start = addDays(end, 1 - size);
    windows.push({ from: start < from ? from : start, to: end });
    end = addDays(end, -size);
  }
  return windows;
}

/**
 * Counts the rows the sandbox reports for each (account, window) of a selection at `level` with
 * `breakdowns`, one row per entity × breakdown cell × day with delivery, as of `asOf`.
 */
export function minimumRequests(input: {
  accountIds: readonly string[];
  from: string;
  to: string;
  windowDays: number;
  level: string;
  breakdowns: readonly string[];
  asOf: Date;
}): MinimumRequests {
  const cache = new InsightsRowCache();
  const pairs: MinimumRequests['pairs'] = [];
  for (const accountId of input.accountIds) {
    const entities = entitiesOf(accountId);
    if (!entities) throw new Error(`The sandbox has no account ${accountId}`);
    const clock = localClock(input.asOf, entities.account.timezoneName);
    for (const window of windowsOf(input.from, input.to, input.windowDays)) {
      const params: Record<string, string> = {
        level: input.level,
        fields: 'impressions',
        time_range: JSON.stringify({ since: window.from, until: window.to }),
        time_increment: '1',
        ...(input.breakdowns.length > 0 ? { breakdowns: input.breakdowns.join(',') } : {}),
      };
      const parsed = parseInsightsQuery((name) => params[name], clock);
      if (!parsed.ok) throw new Error(`The sandbox refused ${JSON.stringify(params)}`);
      const view = viewOf(entities, parsed.query, input.asOf, 'bench/minimum');
      const rows = cache.count(view, Number.MAX_SAFE_INTEGER);
      pairs.push({ accountId, ...window, rows, pages: Math.max(1, Math.ceil(rows / PAGE_LIMIT)) });
    }
  }
  const rows = pairs.reduce((sum, pair) => sum + pair.rows, 0);
  const pages = pairs.reduce((sum, pair) => sum + pair.pages, 0);
  return { pairs, rows, pages, sync: pages, async: pages + pairs.length * (1 + SANDBOX_POLLS_TO_COMPLETE) };
}

/**
 * Differences between our pairs and the engine's slices (as `GET /runs/{id}` lists them), each as
 * `account from..to`: slices the engine planned that we did not, and the reverse. Empty when the
 * plans agree.
 */
export function planDifferences(
  minimum: MinimumRequests,
  slices: readonly { accountId: string; from: string; to: string }[],
): { extra: string[]; missing: string[] } {
  const key = (pair: { accountId: string; from: string; to: string }) =>
    `${pair.accountId} ${pair.from}..${pair.to}`;
  const ours = new Set(minimum.pairs.map(key));
  const theirs = new Set(slices.map(key));
  return {
    extra: [...theirs].filter((entry) => !ours.has(entry)),
    missing: [...ours].filter((entry) => !theirs.has(entry)),
  };
}
