/**
 * The wizard's draft: everything the user has chosen so far, kept in sessionStorage per
 * connection so a reload does not lose it, and turned into the create/preview request body.
 */
import { useEffect, useState } from 'react';
import type { EndpointRequest, EndpointResult } from '../../../../src/contract/endpoints.ts';

export type Template = EndpointResult<'getTemplate'>;
export type SettingValue = string[] | string | number;
export type ScheduleInput = NonNullable<
  NonNullable<EndpointRequest<'previewSchedules'>['body']>['schedules']
>[number];
export type Frequency = ScheduleInput['frequency'];

/** A schedule being edited; `key` keeps React rows stable while schedules are added and removed. */
export interface ScheduleDraft {
  key: string;
  frequency: Frequency;
  time: string;
  timezone: string;
  weekday: NonNullable<ScheduleInput['weekday']>;
  dayOfMonth: number | 'last';
  cron: string;
  lookbackDays: number;
}

export interface WizardDraft {
  connectionId: string;
  accounts: 'all' | string[];
  templateId: string | null;
  dimensions: string[];
  metrics: string[];
  settings: Record<string, SettingValue>;
  /** YYYY-MM-DD or empty: history to backfill once. */
  loadSince: string;
  schedules: ScheduleDraft[];
  destinationId: string | null;
  table: string;
  /** Once the user types a table or name, choosing another template no longer overwrites it. */
  tableEdited: boolean;
  name: string;
  nameEdited: boolean;
  runNow: boolean;
  runNowDays: number;
}

/** The schedules an extraction may have (the API's limit). */
export const MAX_SCHEDULES = 10;

/** The viewer's IANA zone, the natural default for "run at 06:00". */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** A new schedule: daily at 06:00 in the viewer's zone, re-reading `lookbackDays`. */
export function newSchedule(lookbackDays: number, overrides: Partial<ScheduleDraft> = {}): ScheduleDraft {
  return {
    key: Math.random().toString(36).slice(2),
    frequency: 'daily',
    time: '06:00',
    timezone: localTimeZone(),
    weekday: 'monday',
    dayOfMonth: 1,
    cron: '0 6 * * *',
    lookbackDays,
    ...overrides,
  };
}

export function emptyDraft(connectionId: string): WizardDraft {
  return {
    connectionId,
    accounts: [],
    templateId: null,
    dimensions: [],
    metrics: [],
    settings: {},
    loadSince: '',
    schedules: [],
    destinationId: null,
    table: '',
    tableEdited: false,
    name: '',
    nameEdited: false,
    runNow: true,
    runNowDays: 7,
  };
}

/** "meta-ads" + "meta-ads.campaign_daily" → "meta_ads_campaign_daily", as the server names tables. */
export function defaultTableName(dataSource: string, template: Template): string {
  const id = template.custom && template.baseTemplateId ? template.baseTemplateId : template.id;
  const slug = id.slice(id.lastIndexOf('.') + 1);
  const snake = (part: string) =>
    part
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
  return `${snake(dataSource)}_${snake(slug)}`.slice(0, 63);
}

/** Why a table name would be refused, checked here so the user hears it while typing. */
export function tableNameProblem(table: string): string | null {
  if (!table) return 'Enter a table name';
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(table))
    return 'Use lower-case letters, digits and _ only, starting with a letter (at most 63 characters)';
  if (table.startsWith('_tributary')) return 'Names starting with _tributary are reserved';
  return null;
}

/** The draft after choosing `template`: its default fields, settings and lookback. */
export function applyTemplate(draft: WizardDraft, template: Template, dataSource: string): WizardDraft {
  const settings: Record<string, SettingValue> = {};
  for (const setting of template.settings) {
    settings[setting.name] = Array.isArray(setting.default) ? [...setting.default] : setting.default;
  }
  const schedules = draft.schedules.length ? draft.schedules : [newSchedule(template.defaultLookbackDays)];
  return {
    ...draft,
    templateId: template.id,
    dimensions: [...new Set([...template.requiredDimensions, ...template.defaultDimensions])],
    metrics: [...new Set([...template.requiredMetrics, ...template.defaultMetrics])],
    settings,
    schedules,
    table: draft.tableEdited ? draft.table : defaultTableName(dataSource, template),
    name: draft.nameEdited ? draft.name : template.name,
  };
}

/** A schedule as the API takes it: only the fields its frequency uses. */
export function scheduleInput(schedule: ScheduleDraft): ScheduleInput {
  const base = {
    frequency: schedule.frequency,
    time: schedule.time,
    timezone: schedule.timezone,
    lookbackDays: schedule.lookbackDays,
  };
  if (schedule.frequency === 'weekly') return { ...base, weekday: schedule.weekday };
  if (schedule.frequency === 'monthly') return { ...base, dayOfMonth: schedule.dayOfMonth };
  if (schedule.frequency === 'cron') return { ...base, cron: schedule.cron };
  return base;
}

export type CreateBody = NonNullable<EndpointRequest<'createExtraction'>['body']>;

/** The body of create (and, with days/limit, of preview). */
export function extractionBody(draft: WizardDraft): CreateBody {
  return {
    connectionId: draft.connectionId,
    templateId: draft.templateId ?? '',
    name: draft.name.trim() || undefined,
    accounts: draft.accounts,
    dimensions: draft.dimensions,
    metrics: draft.metrics,
    settings: draft.settings,
    schedules: draft.schedules.map(scheduleInput),
    loadSince: draft.loadSince || undefined,
    destinationId: draft.destinationId ?? undefined,
    table: draft.table,
  };
}

const storageKey = (connectionId: string) => `tributary.wizard.${connectionId}`;

function restore(connectionId: string): WizardDraft {
  try {
    const saved = sessionStorage.getItem(storageKey(connectionId));
    if (saved) return { ...emptyDraft(connectionId), ...(JSON.parse(saved) as Partial<WizardDraft>) };
  } catch {
    // A damaged or foreign entry: start over rather than fail the page.
  }
  return emptyDraft(connectionId);
}

/** Forgets the saved draft (after the extraction is created). */
export function discardDraft(connectionId: string): void {
  sessionStorage.removeItem(storageKey(connectionId));
}

/** The draft of one connection's wizard, saved to sessionStorage on every change. */
export function useWizardDraft(connectionId: string) {
  const [draft, setDraft] = useState<WizardDraft>(() => restore(connectionId));
  useEffect(() => {
    if (draft.connectionId !== connectionId) setDraft(restore(connectionId));
  }, [connectionId, draft.connectionId]);
  useEffect(() => {
    if (draft.connectionId === connectionId)
      sessionStorage.setItem(storageKey(connectionId), JSON.stringify(draft));
  }, [draft, connectionId]);
  return [draft, setDraft] as const;
}
