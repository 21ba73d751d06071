/**
 * Cursor paging of LinkedIn's entity finders (ad accounts, campaign groups, campaigns, creatives): the request
 * carries `pageSize` and, after the first page, `pageToken`; the answer is `{"paging":{…},"elements":[…],
 * "metadata":{"nextPageToken":"…"}}`, the token absent on the last page.
 */
import type { ConnectorEnvironment } from '../kit/types.ts';
import { callLinkedIn, type LinkedInSettings, malformed, objectBody } from './rest-api.ts';
import { restliQuery, restliValue } from './restli.ts';

/** Guard against a finder that never stops paging (1,000 pages of 1,000 is a million entities). */
export const MAX_FINDER_PAGES = 1_000;

/** One parsed finder page. */
export interface CursorPage {
  elements: Record<string, unknown>[];
  nextPageToken: string | null;
}

/** Parses a finder page; a body without an `elements` array is malformed. */
export function parseCursorPage(body: unknown, label: string): CursorPage {
  const record = objectBody(body, label);
  if (!Array.isArray(record.elements)) throw malformed(label, 'a page without an elements array');
  const elements = record.elements.map((entry) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw malformed(label, 'an element that is not an object');
    }
    return entry as Record<string, unknown>;
  });
  const metadata = record.metadata;
  let nextPageToken: string | null = null;
  if (typeof metadata === 'object' && metadata !== null) {
    const token = (metadata as Record<string, unknown>).nextPageToken;
    if (typeof token === 'string' && token !== '') nextPageToken = token;
    else if (token !== undefined && token !== null && token !== '') {
      throw malformed(label, 'a nextPageToken that is not a string');
    }
  }
  return { elements, nextPageToken };
}

/** One finder as {@link finderPages} walks it. */
export interface FinderCall {
  /** Path under `/rest/`, e.g. `adAccounts` or `adAccounts/123/adCampaigns`. */
  path: string;
  /** Rest.li-encoded parameters before the paging ones (`q`, `search`). */
  params: [string, string][];
  pageSize: number;
  /** The call's name in logs, e.g. `GET /rest/adAccounts`; page numbers are appended after the first. */
  label: string;
  accessToken: string;
  onAttempt?: () => void;
  onQuotaWait?: (ms: number) => void;
  signal?: AbortSignal;
}

/** Yields the elements of every page of a finder, following `nextPageToken` until it is absent. */
export async function* finderPages(
  environment: ConnectorEnvironment,
  settings: LinkedInSettings,
  call: FinderCall,
): AsyncGenerator<Record<string, unknown>[]> {
  const seen = new Set<string>();
  let token: string | null = null;
  for (let page = 1; ; page += 1) {
    if (page > MAX_FINDER_PAGES) throw malformed(call.label, `more than ${MAX_FINDER_PAGES} pages`);
    const params: [string, string][] = [...call.params, ['pageSize', String(call.pageSize)]];
    if (token !== null) params.push(['pageToken', restliValue(token)]);
    const label = page === 1 ? call.label : `${call.label} (page ${page})`;
    const parsed = parseCursorPage(
      await callLinkedIn(environment, settings, {
        method: 'GET',
        url: `${settings.apiBase}/rest/${call.path}?${restliQuery(params)}`,
        label,
        accessToken: call.accessToken,
        versioned: true,
        ...(call.onAttempt ? { onAttempt: call.onAttempt } : {}),
        ...(call.onQuotaWait ? { onQuotaWait: call.onQuotaWait } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
      }),
      label,
    );
    yield parsed.elements;
    if (parsed.nextPageToken === null) return;
    // A token seen before would page in a circle.
    if (seen.has(parsed.nextPageToken)) throw malformed(label, 'a nextPageToken it had already sent');
    seen.add(parsed.nextPageToken);
    token = parsed.nextPageToken;
  }
}
