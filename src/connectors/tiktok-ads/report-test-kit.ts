/**
 * Test support for the report tests: an extraction over replayed report pages, report requests for our
 * templates, and report pages in TikTok's shape.
 */
import type { HttpSettings, ReportRequest } from '../kit/types.ts';
import { build, loadFixture, type RecordedRequest, type ReplayAnswer, tiktok } from './replay-fetch.ts';
import { findTiktokTemplate } from './templates.ts';

/** The advertiser every report request reads. */
export const ADVERTISER = '7000000000000000001';
/** The replay key of the report endpoint. */
export const REPORT = 'GET report/integrated/get/';

/** One report row as TikTok sends it. */
export interface Row {
  dimensions: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

/** A real-mode extraction whose report endpoint answers `answers` (in turn), plus the requests it sent. */
export function extraction(answers: ReplayAnswer | ReplayAnswer[], http: Partial<HttpSettings> = {}) {
  const { connector, requests } = build(tiktok({ [REPORT]: answers }), undefined, undefined, http);
  return { extraction: connector.extraction!, requests };
}

/** A report request for `tiktok-ads.<slug>` with the template defaults unless overridden. */
export function request(slug: string, overrides: Partial<ReportRequest> = {}): ReportRequest {
  const template = findTiktokTemplate(`tiktok-ads.${slug}`)!;
  return {
    template,
    account: { id: ADVERTISER, name: 'Northwind EU', timezone: 'Europe/Berlin', currency: 'EUR' },
    dimensions: [...template.defaultDimensions],
    metrics: [...template.defaultMetrics],
    settings: {},
    from: '2024-01-01',
    to: '2024-01-07',
    ...overrides,
  };
}

/** A report page as TikTok sends it. */
export function page(rows: Row[], pageNumber = 1, totalPage = 1): ReplayAnswer {
  return {
    body: {
      code: 0,
      message: 'OK',
      request_id: 'req',
      data: {
        list: rows,
        page_info: { page: pageNumber, page_size: 1000, total_number: rows.length, total_page: totalPage },
      },
    },
  };
}

/** The real hourly rows with their hour swapped for a day: the metrics stay exactly as recorded. */
export function recordedAdRowsAsDaily(): Row[] {
  const fixture = loadFixture<{ data: { list: Row[] } }>('report_integrated_get_ads_hourly_airbyte.json');
  return fixture.data.list.map((row, index) => ({
    dimensions: { ad_id: row.dimensions.ad_id, stat_time_day: `2024-01-0${index + 1} 00:00:00` },
    metrics: row.metrics,
  }));
}

/** The query of a report request, with its JSON-encoded arrays decoded. */
export function query(recorded: RecordedRequest): Record<string, unknown> {
  const params = Object.fromEntries(recorded.url.searchParams);
  for (const key of ['dimensions', 'metrics']) params[key] = JSON.parse(params[key]!);
  return params;
}
