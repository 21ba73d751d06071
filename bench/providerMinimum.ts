/**
 * The fewest provider requests an extraction's data needs, per engine slice (account × window), for the
 * providers other than Meta (Meta's is `extractMinimum.ts`). Computed without the connectors: each count
 * comes from the provider's wire rules (WIRE-FORMATS.md) and from the sandbox's own answers over HTTP,
 * asked with the largest page the provider allows. What each minimum includes:
 * - TikTok: pages = max(1, ⌈rows ÷ 1000⌉) of `report/integrated/get/` (page_size ≤ 1000); names come
 *   in the report rows (`campaign_name` is a report attribute), so no lookup.
 * - Google Ads: one `searchStream` per slice (it streams every row in one response; names are GAQL fields).
 * - GA4: pages = max(1, ⌈rowCount ÷ 250,000⌉) of `runReport` (limit ≤ 250,000; `rowCount` is the total).
 * - LinkedIn: `adAnalytics` does not page and silently stops at 15,000 elements, so a slice needs its days
 *   cut into whole-day windows of ≤ 15,000 elements each (greedy, the fewest for consecutive days; ≥
 *   ⌈elements ÷ 15,000⌉), × ⌈metrics ÷ 18⌉ field chunks (≤ 20 fields with `dateRange` and `pivotValues`);
 *   plus the entity-finder pages (≤ 1000 per page; the creatives finder ≤ 100) the selected names need, since
 *   analytics carries URNs only.
 */
import { addDays } from '../src/domain/dates.ts';

/** Provider limits from WIRE-FORMATS.md. */
export const WIRE_LIMITS = {
  tiktokPageSize: 1000,
  ga4Limit: 250_000,
  linkedinElementCap: 15_000,
  linkedinFinderPage: 1000,
  /** The creatives finder's own ceiling (LinkedIn's Creatives API reference), below the finders' 1,000. */
  linkedinCreativesPage: 100,
  linkedinMaxFields: 20,
} as const;

/** One engine slice: an account and a window. */
export interface SliceWindow {
  accountId: string;
  from: string;
  to: string;
}

/** What one slice needs at the least. */
export interface SliceMinimum extends SliceWindow {
  rows: number;
  calls: number;
  /** How `calls` is made up (e.g. `2 analytics + 1 campaigns page`). */
  detail: string;
}

/** The minimum of an extraction: the sum over its slices. */
export interface ProviderMinimum {
  slices: SliceMinimum[];
  rows: number;
  calls: number;
}

/** Where a provider's sandbox answers and the access token to ask it with. */
export interface SandboxAccess {
  base: string;
  accessToken: string;
}

const total = (slices: SliceMinimum[]): ProviderMinimum => ({
  slices,
  rows: slices.reduce((sum, slice) => sum + slice.rows, 0),
  calls: slices.reduce((sum, slice) => sum + slice.calls, 0),
});

async function getJson(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** TikTok's `data_level` and id dimension of a template level. */
const TIKTOK_LEVELS: Record<string, { dataLevel: string; id: string | null }> = {
  advertiser: { dataLevel: 'AUCTION_ADVERTISER', id: null },
  campaign: { dataLevel: 'AUCTION_CAMPAIGN', id: 'campaign_id' },
  adgroup: { dataLevel: 'AUCTION_ADGROUP', id: 'adgroup_id' },
  ad: { dataLevel: 'AUCTION_AD', id: 'ad_id' },
};

/** TikTok: the rows of each slice's daily BASIC report at `level`, read from `page_info.total_number`. */
export async function tiktokMinimum(
  sandbox: SandboxAccess,
  slices: readonly SliceWindow[],
  level: string,
): Promise<ProviderMinimum> {
  const shape = TIKTOK_LEVELS[level];
  if (!shape) throw new Error(`No TikTok data level for template level ${level}`);
  const out: SliceMinimum[] = [];
  for (const slice of slices) {
    const params = new URLSearchParams({
      advertiser_id: slice.accountId,
      report_type: 'BASIC',
      data_level: shape.dataLevel,
      dimensions: JSON.stringify([...(shape.id ? [shape.id] : []), 'stat_time_day']),
      metrics: JSON.stringify(['spend', 'impressions']),
      start_date: slice.from,
      end_date: slice.to,
      page: '1',
      page_size: String(WIRE_LIMITS.tiktokPageSize),
    });
    const body = await getJson(`${sandbox.base}/open_api/v1.3/report/integrated/get/?${params}`, {
      headers: { 'Access-Token': sandbox.accessToken },
    });
    if (body.code !== 0) throw new Error(`TikTok report answered code ${body.code}: ${body.message}`);
    const info = (body.data as { page_info: { total_number: number } }).page_info;
    const pages = Math.max(1, Math.ceil(info.total_number / WIRE_LIMITS.tiktokPageSize));
    out.push({ ...slice, rows: info.total_number, calls: pages, detail: `${pages} report page(s)` });
  }
  return total(out);
}

/** Google Ads: `searchStream` answers a whole query in one response, so one request per slice. */
export function googleAdsMinimum(slices: readonly SliceWindow[]): ProviderMinimum {
  return total(slices.map((slice) => ({ ...slice, rows: 0, calls: 1, detail: '1 searchStream' })));
}

/** `session_source` → `sessionSource`: the Data API's names of our snake_case fields. */
export const ga4Name = (field: string) =>
  field.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

/** GA4: each slice's `rowCount` for `date` + the selection's dimensions and metrics (limit 1 suffices). */
export async function ga4Minimum(
  sandbox: SandboxAccess,
  slices: readonly SliceWindow[],
  dimensions: readonly string[],
  metrics: readonly string[],
): Promise<ProviderMinimum> {
  const out: SliceMinimum[] = [];
  for (const slice of slices) {
    const body = await getJson(`${sandbox.base}/data/v1beta/properties/${slice.accountId}:runReport`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        dateRanges: [{ startDate: slice.from, endDate: slice.to }],
        dimensions: ['date', ...dimensions].map((name) => ({ name: ga4Name(name) })),
        metrics: metrics.map((name) => ({ name: ga4Name(name) })),
        limit: 1,
      }),
    });
    // proto3 JSON leaves out a zero rowCount.
    const rows = Number(body.rowCount ?? 0);
    const pages = Math.max(1, Math.ceil(rows / WIRE_LIMITS.ga4Limit));
    out.push({ ...slice, rows, calls: pages, detail: `${pages} runReport page(s)` });
  }
  return total(out);
}

/** The LinkedIn entity kinds, child first: a creative names its campaign, a campaign its group. */
const LINKEDIN_CHAIN = ['creative', 'campaign', 'campaign_group'] as const;
type LinkedInKind = (typeof LINKEDIN_CHAIN)[number];
const PIVOT_KIND: Record<string, LinkedInKind> = {
  CREATIVE: 'creative',
  CAMPAIGN: 'campaign',
  CAMPAIGN_GROUP: 'campaign_group',
};
const FINDERS: Record<LinkedInKind, string> = {
  creative: 'creatives?q=criteria',
  campaign: 'adCampaigns?q=search',
  campaign_group: 'adCampaignGroups?q=search',
};

/**
 * The finders a LinkedIn selection must read: a dimension `<kind>_<attribute>` needs the entities from the
 * pivot up to `kind` — the pivot's own id is its URN (no finder), and a parent's id is on its child's record.
 */
export function linkedinFinders(pivot: string, dimensions: readonly string[]): LinkedInKind[] {
  const start = PIVOT_KIND[pivot];
  if (!start) return [];
  const chain = LINKEDIN_CHAIN.slice(LINKEDIN_CHAIN.indexOf(start));
  const needed = new Set<LinkedInKind>();
  for (const name of dimensions) {
    const dimension = name === 'cost_type' ? 'campaign_cost_type' : name;
    const kind = [...chain].reverse().find((candidate) => dimension.startsWith(`${candidate}_`));
    if (!kind) continue;
    const attribute = dimension.slice(kind.length + 1);
    const upTo = chain.indexOf(kind) + (attribute === 'id' ? 0 : 1);
    for (const step of chain.slice(0, upTo)) needed.add(step);
  }
  return chain.filter((kind) => needed.has(kind));
}

const linkedinHeaders = (sandbox: SandboxAccess) => ({
  authorization: `Bearer ${sandbox.accessToken}`,
  'LinkedIn-Version': '202511',
  'X-Restli-Protocol-Version': '2.0.0',
});

/** A day as a Rest.li date record. */
const restliDay = (day: string) => {
  const [year, month, date] = day.split('-').map(Number);
  return `(year:${year},month:${month},day:${date})`;
};

/** Elements with delivery per day of `account` at `pivot`, read from the sandbox's analytics answers. */
export async function linkedinDailyElements(
  sandbox: SandboxAccess,
  accountId: string,
  pivot: string,
  from: string,
  to: string,
): Promise<Map<string, number>> {
  const ask = async (start: string, end: string) => {
    const query = [
      'q=analytics',
      `pivot=${pivot}`,
      'timeGranularity=DAILY',
      `dateRange=(start:${restliDay(start)},end:${restliDay(end)})`,
      `accounts=List(${encodeURIComponent(`urn:li:sponsoredAccount:${accountId}`)})`,
      'fields=dateRange,pivotValues,impressions',
    ].join('&');
    const body = await getJson(`${sandbox.base}/rest/adAnalytics?${query}`, {
      headers: linkedinHeaders(sandbox),
    });
    return body.elements as { dateRange: { start: { year: number; month: number; day: number } } }[];
  };
  const perDay = new Map<string, number>();
  const count = (elements: Awaited<ReturnType<typeof ask>>) => {
    for (const { dateRange } of elements) {
      const { year, month, day } = dateRange.start;
      const key = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      perDay.set(key, (perDay.get(key) ?? 0) + 1);
    }
  };
  const whole = await ask(from, to);
  if (whole.length < WIRE_LIMITS.linkedinElementCap) {
    count(whole);
    return perDay;
  }
  // At the cap the answer may be cut: count day by day (one day of one account stays far below it).
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const elements = await ask(day, day);
    if (elements.length >= WIRE_LIMITS.linkedinElementCap)
      throw new Error(`${accountId} ${day} is at the cap`);
    count(elements);
  }
  return perDay;
}

/** Fewest consecutive whole-day windows of `from..to` holding ≤ `cap` elements each (greedy; ≥ 1). */
export function fewestDayWindows(perDay: ReadonlyMap<string, number>, from: string, to: string, cap: number) {
  let windows = 1;
  let held = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    const elements = perDay.get(day) ?? 0;
    if (held + elements > cap) {
      windows += 1;
      held = 0;
    }
    held += elements;
  }
  return windows;
}

/** Pages a LinkedIn entity finder takes at the largest page size, walked to the end. */
async function finderPages(sandbox: SandboxAccess, accountId: string, kind: LinkedInKind) {
  let pages = 0;
  let token: string | undefined;
  do {
    const url = `${sandbox.base}/rest/adAccounts/${accountId}/${FINDERS[kind]}&pageSize=${kind === 'creative' ? WIRE_LIMITS.linkedinCreativesPage : WIRE_LIMITS.linkedinFinderPage}${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`;
    const body = await getJson(url, { headers: linkedinHeaders(sandbox) });
    pages += 1;
    token = (body.metadata as { nextPageToken?: string } | undefined)?.nextPageToken;
  } while (token);
  return pages;
}

/** LinkedIn: analytics windows under the cap × field chunks, plus the finder pages the names need. */
export async function linkedinMinimum(
  sandbox: SandboxAccess,
  slices: readonly SliceWindow[],
  selection: { pivot: string; dimensions: readonly string[]; metrics: number },
): Promise<ProviderMinimum & { perDay: Map<string, Map<string, number>>; finders: LinkedInKind[] }> {
  const chunks = Math.max(1, Math.ceil(selection.metrics / (WIRE_LIMITS.linkedinMaxFields - 2)));
  const finders = linkedinFinders(selection.pivot, selection.dimensions);
  const perDay = new Map<string, Map<string, number>>();
  const out: SliceMinimum[] = [];
  for (const slice of slices) {
    const days = await linkedinDailyElements(sandbox, slice.accountId, selection.pivot, slice.from, slice.to);
    perDay.set(slice.accountId, new Map([...(perDay.get(slice.accountId) ?? []), ...days]));
    const rows = [...days.values()].reduce((sum, count) => sum + count, 0);
    const windows = fewestDayWindows(days, slice.from, slice.to, WIRE_LIMITS.linkedinElementCap);
    const pages: string[] = [];
    let lookups = 0;
    for (const kind of finders) {
      const count = await finderPages(sandbox, slice.accountId, kind);
      lookups += count;
      pages.push(`${count} ${kind} page(s)`);
    }
    out.push({
      ...slice,
      rows,
      calls: windows * chunks + lookups,
      detail: [`${windows} window(s) × ${chunks} field chunk(s)`, ...pages].join(' + '),
    });
  }
  return { ...total(out), perDay, finders };
}
