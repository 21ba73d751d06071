/**
 * Parsing and validation of Ads Insights parameters, shared by the sync edge and report-run creation.
 * Graph takes list and object parameters as JSON (`["age","gender"]`, `{"since":…}`), as comma lists,
 * or — in a JSON POST body — as real arrays and objects; all three are accepted. Errors use Meta's
 * wording where it is known (see the README of the research material for sources).
 */

import { addMonths, type LocalClock, monthStart, parseDay, weekday } from '../../../sandbox/calendar.ts';
import { invalidCombination, MODELLED_BREAKDOWNS } from './breakdowns.ts';
import { earliestQueryableDay } from './calendar.ts';
import { beyondRetentionError } from './insights-errors.ts';
import {
  ACTION_BREAKDOWN_NAMES,
  ACTION_REPORT_TIMES,
  ATTRIBUTION_WINDOW_NAMES,
  BREAKDOWN_NAMES,
  DATE_PRESETS,
  INSIGHTS_FIELDS,
  LEVELS,
} from './insights-vocabulary.ts';
import { type GraphResponse, graphError } from './wire.ts';

/** Reporting level, from the coarsest. */
export type Level = 'account' | 'campaign' | 'adset' | 'ad';

/** Rank of each level: ids and names of a level and the ones above it are available on a row. */
export const LEVEL_RANK: Record<Level, number> = { account: 0, campaign: 1, adset: 2, ad: 3 };

/** One `filtering` clause on an entity attribute. */
export interface EntityFilter {
  entity: 'campaign' | 'adset' | 'ad';
  attribute: 'id' | 'name' | 'effective_status' | 'objective';
  operator: string;
  values: string[];
}

/** A validated insights request. */
export interface InsightsQuery {
  fields: string[];
  level: Level;
  breakdowns: string[];
  actionBreakdowns: string[];
  /** Requested attribution windows (only modelled ones appear on rows). */
  windows: string[];
  actionReportTime: string;
  since: number;
  until: number;
  timeIncrement: number | 'monthly' | 'all_days';
  filters: EntityFilter[];
  /**
   * Meta has omitted `reach`, `frequency` and `cpp` from breakdown queries starting more than 13
   * months back since 2025-06-10.
   */
  omitReach: boolean;
}

/** Either the query or the Graph error to send. */
export type ParsedQuery = { ok: true; query: InsightsQuery } | { ok: false; response: GraphResponse };

const paramError = (message: string): ParsedQuery => ({
  ok: false,
  response: graphError(400, { message: `(#100) ${message}`, type: 'OAuthException', code: 100 }),
});

const oneOf = (param: string, allowed: Iterable<string>): ParsedQuery =>
  paramError(`Param ${param} must be one of {${[...allowed].join(', ')}}`);

/** Reads a list parameter: a real array, a JSON array string, or a comma list. */
function listParam(raw: unknown): string[] | 'invalid' | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (Array.isArray(raw)) return raw.map((item) => String(item).trim()).filter(Boolean);
  if (typeof raw !== 'string') return 'invalid';
  const text = raw.trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      return Array.isArray(parsed) ? listParam(parsed) : 'invalid';
    } catch {
      return 'invalid';
    }
  }
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Reads an object parameter: a real object or a JSON object string. */
function objectParam(raw: unknown): Record<string, unknown> | 'invalid' | undefined {
  if (raw === undefined || raw === null) return undefined;
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return 'invalid';
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : 'invalid';
}

/** The inclusive day range of a `date_preset`, as of the account-local `today`. */
function presetRange(preset: string, today: number): [number, number] {
  const quarterStart = (day: number) => {
    let start = monthStart(day);
    while (new Date(start * 86_400_000).getUTCMonth() % 3 !== 0) start = monthStart(start - 1);
    return start;
  };
  const yearStart = (day: number) => addMonths(monthStart(day), -new Date(day * 86_400_000).getUTCMonth());
  const lastDays = /^last_(\d+)d$/.exec(preset);
  // Meta's last_Nd presets end yesterday: today is still incomplete.
  if (lastDays) return [today - Number(lastDays[1]), today - 1];
  switch (preset) {
    case 'today':
      return [today, today];
    case 'yesterday':
      return [today - 1, today - 1];
    case 'this_month':
      return [monthStart(today), today];
    case 'last_month':
      return [addMonths(monthStart(today), -1), monthStart(today) - 1];
    case 'this_quarter':
      return [quarterStart(today), today];
    case 'last_quarter': {
      const start = quarterStart(today);
      return [addMonths(start, -3), start - 1];
    }
    case 'this_year':
      return [yearStart(today), today];
    case 'last_year': {
      const start = yearStart(today);
      return [addMonths(start, -12), start - 1];
    }
    case 'this_week_mon_today':
      return [today - ((weekday(today) + 6) % 7), today];
    case 'this_week_sun_today':
      return [today - weekday(today), today];
    case 'last_week_mon_sun': {
      const monday = today - ((weekday(today) + 6) % 7);
      return [monday - 7, monday - 1];
    }
    case 'last_week_sun_sat': {
      const sunday = today - weekday(today);
      return [sunday - 7, sunday - 1];
    }
    default:
      // maximum and data_maximum: everything Meta still keeps.
      return [earliestQueryableDay(today), today];
  }
}

const FILTER_ATTRIBUTES = ['id', 'name', 'effective_status', 'objective'] as const;
const FILTER_OPERATORS = ['EQUAL', 'NOT_EQUAL', 'IN', 'NOT_IN', 'CONTAIN', 'NOT_CONTAIN'];

function parseFilters(raw: unknown): EntityFilter[] | ParsedQuery {
  if (raw === undefined || raw === null || raw === '') return [];
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return paramError('Param filtering must be an array of {field, operator, value} objects');
    }
  }
  if (!Array.isArray(value))
    return paramError('Param filtering must be an array of {field, operator, value} objects');
  const filters: EntityFilter[] = [];
  for (const [index, item] of value.entries()) {
    const clause = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const match = /^(campaign|adset|ad)\.(\w+)$/.exec(String(clause.field ?? ''));
    const attribute = match?.[2] as EntityFilter['attribute'] | undefined;
    if (!match || !attribute || !FILTER_ATTRIBUTES.includes(attribute)) {
      return paramError(
        `Filtering field ${String(clause.field)} is invalid. The sandbox filters on campaign, adset or ad ${FILTER_ATTRIBUTES.join(', ')}`,
      );
    }
    const operator = String(clause.operator ?? '');
    if (!FILTER_OPERATORS.includes(operator)) return oneOf(`filtering[${index}][operator]`, FILTER_OPERATORS);
    const values = (Array.isArray(clause.value) ? clause.value : [clause.value]).map((entry) =>
      String(entry),
    );
    filters.push({ entity: match[1] as EntityFilter['entity'], attribute, operator, values });
  }
  return filters;
}

/** Default `fields` when a request names none. */
const DEFAULT_FIELDS = ['impressions', 'spend'];

/**
 * Validates the parameters of an insights request. `param` reads one raw parameter (query string or
 * body); `clock` is the account's local date and hour at the time of the request.
 */
export function parseInsightsQuery(param: (name: string) => unknown, clock: LocalClock): ParsedQuery {
  const fieldList = listParam(param('fields'));
  if (fieldList === 'invalid') return paramError('Param fields must be a list of field names');
  const fields = [...new Set(fieldList && fieldList.length > 0 ? fieldList : DEFAULT_FIELDS)];
  const unknownField = fields.find((field) => !INSIGHTS_FIELDS.has(field));
  if (unknownField) {
    return paramError(
      `${unknownField} is not valid for fields param. please check https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ for all valid values`,
    );
  }

  const level = (param('level') ?? 'account') as string;
  if (!LEVELS.has(level)) return oneOf('level', ['account', 'campaign', 'adset', 'ad']);

  const breakdownList = listParam(param('breakdowns'));
  if (breakdownList === 'invalid') return paramError('Param breakdowns must be a list');
  const breakdowns = [...new Set(breakdownList ?? [])];
  for (const name of breakdowns) {
    if (!BREAKDOWN_NAMES.has(name)) {
      return paramError(
        `${name} is not valid for breakdowns param. please check https://developers.facebook.com/docs/marketing-api/insights/breakdowns/ for all valid values`,
      );
    }
    if (!MODELLED_BREAKDOWNS.has(name)) {
      return paramError(
        `Breakdown ${name} exists on Meta but the Tributary sandbox does not model it; it models ${[...MODELLED_BREAKDOWNS].join(', ')}`,
      );
    }
  }

  const actionList = listParam(param('action_breakdowns'));
  if (actionList === 'invalid') return paramError('Param action_breakdowns must be a list');
  // An empty list (as some clients send) still reports actions by type, like the default.
  const actionBreakdowns = actionList && actionList.length > 0 ? [...new Set(actionList)] : ['action_type'];
  for (const name of actionBreakdowns) {
    if (!ACTION_BREAKDOWN_NAMES.has(name)) {
      return paramError(
        `${name} is not valid for action_breakdowns param. please check https://developers.facebook.com/docs/marketing-api/insights/breakdowns/ for all valid values`,
      );
    }
    if (name !== 'action_type') {
      return paramError(
        `Action breakdown ${name} exists on Meta but the Tributary sandbox models only action_type`,
      );
    }
  }
  if (invalidCombination(breakdowns)) {
    return paramError(
      `Current combination of data breakdown columns (${[...actionBreakdowns, ...breakdowns].join(', ')}) is invalid`,
    );
  }

  const windowList = listParam(param('action_attribution_windows'));
  if (windowList === 'invalid') return paramError('Param action_attribution_windows must be a list');
  const windows = [...new Set(windowList ?? [])];
  const badWindow = windows.findIndex((window) => !ATTRIBUTION_WINDOW_NAMES.has(window));
  if (badWindow >= 0) return oneOf(`action_attribution_windows[${badWindow}]`, ATTRIBUTION_WINDOW_NAMES);

  const actionReportTime = String(param('action_report_time') ?? 'impression');
  if (!ACTION_REPORT_TIMES.has(actionReportTime)) return oneOf('action_report_time', ACTION_REPORT_TIMES);

  if (param('time_ranges') !== undefined) {
    return paramError('Param time_ranges is not modelled by the Tributary sandbox; use time_range');
  }
  let since: number;
  let until: number;
  const range = objectParam(param('time_range'));
  if (range !== undefined) {
    const from = range === 'invalid' ? undefined : parseDay(String(range.since ?? '').trim());
    const to = range === 'invalid' ? undefined : parseDay(String(range.until ?? '').trim());
    if (from === undefined || to === undefined) {
      return paramError('Param time_range must be a JSON object {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}');
    }
    if (from > to) return paramError('Param time_range: since must not be after until');
    [since, until] = [from, to];
  } else {
    const preset = String(param('date_preset') ?? 'last_30d');
    if (!DATE_PRESETS.has(preset)) return oneOf('date_preset', DATE_PRESETS);
    [since, until] = presetRange(preset, clock.today);
  }
  if (since < earliestQueryableDay(clock.today)) {
    // Meta's own code for this case (seen in the wild), not a generic 100.
    return { ok: false, response: beyondRetentionError() };
  }

  const rawIncrement = String(param('time_increment') ?? 'all_days').trim();
  let timeIncrement: InsightsQuery['timeIncrement'];
  if (rawIncrement === 'monthly' || rawIncrement === 'all_days') timeIncrement = rawIncrement;
  else if (/^\d+$/.test(rawIncrement) && Number(rawIncrement) >= 1 && Number(rawIncrement) <= 90) {
    timeIncrement = Number(rawIncrement);
  } else return paramError('Param time_increment must be an integer from 1 to 90, monthly or all_days');

  const filters = parseFilters(param('filtering'));
  if (!Array.isArray(filters)) return filters;

  return {
    ok: true,
    query: {
      fields,
      level: level as Level,
      breakdowns,
      actionBreakdowns,
      windows,
      actionReportTime,
      since,
      until,
      timeIncrement,
      filters,
      omitReach: breakdowns.length > 0 && since < addMonths(clock.today, -13),
    },
  };
}
