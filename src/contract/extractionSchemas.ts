/**
 * Zod schemas for templates, destinations, extractions, schedules, runs, ledgers and events.
 */
import { z } from 'zod';
import { errorCategories, errorCodeList } from '../domain/errors.ts';
import { extractionStatuses, runStatuses, sliceStatuses } from '../domain/extraction.ts';
import { frequencies, weekdays } from '../domain/schedule.ts';
import { fieldSpecSchema } from './schemas.ts';

const day = z.iso.date({ error: () => 'must be a date YYYY-MM-DD' });
const uuid = z.uuid({ error: () => 'must be an id (uuid)' });
const cellValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const settingValue = z.union([z.array(z.string().max(100)).max(50), z.string().max(100), z.number()]);
const identifier = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]{0,62}$/,
    'must be a lower-case SQL identifier (letters, digits, _; ≤ 63 characters)',
  )
  .refine((name) => !name.startsWith('_tributary'), 'must not start with _tributary');

export const templateSchema = z
  .object({
    id: z.string(),
    dataSource: z.string(),
    name: z.string(),
    description: z.string(),
    custom: z.boolean(),
    baseTemplateId: z.string().nullable(),
    dataClass: z.literal('daily'),
    level: z.string(),
    dimensions: z.array(fieldSpecSchema),
    metrics: z.array(fieldSpecSchema),
    requiredDimensions: z.array(z.string()),
    requiredMetrics: z.array(z.string()),
    defaultDimensions: z.array(z.string()),
    defaultMetrics: z.array(z.string()),
    settings: z.array(
      z.object({
        name: z.string(),
        label: z.string(),
        description: z.string(),
        kind: z.enum(['multi', 'single', 'integer']),
        options: z.array(z.string()).optional(),
        min: z.number().optional(),
        max: z.number().optional(),
        default: settingValue,
      }),
    ),
    rules: z.array(
      z.object({ kind: z.enum(['exclusive', 'requires']), fields: z.array(z.string()), message: z.string() }),
    ),
    historicalDepthDays: z.number().int(),
    defaultLookbackDays: z.number().int(),
    maxWindowDays: z.number().int(),
  })
  .meta({ id: 'Template' });
export type TemplateView = z.infer<typeof templateSchema>;

export const createTemplateBodySchema = z.strictObject({
  baseTemplateId: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(200),
  description: z.string().max(2000).optional(),
  dimensions: z.array(z.string().max(200)).max(200).optional(),
  metrics: z.array(z.string().max(200)).max(500).optional(),
  settings: z.record(z.string().max(100), settingValue).optional(),
});

export const destinationSchema = z
  .object({
    id: uuid,
    name: z.string(),
    kind: z.enum(['duckdb', 'postgres']),
    /** DuckDB: the file; PostgreSQL: host and schema (never the password). */
    location: z.string(),
    isDefault: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Destination' });

export const createDestinationBodySchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('duckdb'),
    name: z.string().trim().min(1).max(200),
    path: z
      .string()
      .min(1)
      .max(1000)
      .optional()
      .describe(
        'The DuckDB file; relative paths and the default (named after the destination) are in TRIBUTARY_HOME',
      ),
  }),
  z.strictObject({
    kind: z.literal('postgres'),
    name: z.string().trim().min(1).max(200),
    url: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .max(2000),
    schema: identifier,
  }),
]);

export const scheduleInputSchema = z.strictObject({
  frequency: z.enum(frequencies, { error: () => `frequency must be one of ${frequencies.join(', ')}` }),
  time: z.string().max(5).default('06:00'),
  timezone: z.string().max(100).default('UTC'),
  weekday: z.enum(weekdays).optional(),
  dayOfMonth: z.union([z.number().int(), z.literal('last')]).optional(),
  cron: z.string().max(200).optional(),
  lookbackDays: z.number().int().optional(),
});

export const scheduleSchema = z.object({
  id: uuid,
  frequency: z.enum(frequencies),
  time: z.string(),
  timezone: z.string(),
  weekday: z.enum(weekdays).optional(),
  dayOfMonth: z.union([z.number().int(), z.literal('last')]).optional(),
  cron: z.string(),
  lookbackDays: z.number().int(),
  nextRuns: z.array(z.iso.datetime()).describe('The next five run times, DST-correct'),
  lastRunAt: z.iso.datetime().nullable(),
});

const selectionFields = {
  accounts: z.union([z.literal('all'), z.array(z.string().min(1).max(64)).min(1).max(5000)]).default('all'),
  dimensions: z.array(z.string().max(200)).max(200).optional(),
  metrics: z.array(z.string().max(200)).max(500).optional(),
  settings: z.record(z.string().max(100), settingValue).optional(),
};

export const createExtractionBodySchema = z.strictObject({
  connectionId: uuid,
  templateId: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(200).optional(),
  ...selectionFields,
  schedules: z.array(scheduleInputSchema).max(10).optional(),
  loadSince: day.optional(),
  destinationId: uuid.optional(),
  table: identifier.optional(),
});

export const previewBodySchema = createExtractionBodySchema.extend({
  days: z.number().int().min(1).max(14).default(3),
  limit: z.number().int().min(1).max(500).default(100),
});

export const updateExtractionBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  accounts: selectionFields.accounts.optional(),
  dimensions: selectionFields.dimensions,
  metrics: selectionFields.metrics,
  settings: selectionFields.settings,
  schedules: z.array(scheduleInputSchema).max(10).optional(),
});

const problemSchema = z.object({
  code: z.enum(errorCodeList),
  category: z.enum(errorCategories),
  message: z.string(),
  at: z.iso.datetime(),
});

export const extractionSchema = z
  .object({
    id: uuid,
    name: z.string(),
    connectionId: uuid.nullable(),
    dataSource: z.string(),
    templateId: z.string(),
    accounts: z.union([z.literal('all'), z.array(z.string())]),
    dimensions: z.array(z.string()),
    metrics: z.array(z.string()),
    settings: z.record(z.string(), settingValue),
    loadSince: day.nullable(),
    destinationId: uuid,
    table: z.string(),
    status: z.enum(extractionStatuses),
    statusDetails: z
      .object({
        kind: z.enum(['manual', 'automatic']),
        reason: z.string(),
        code: z.enum(errorCodeList).optional(),
        category: z.enum(errorCategories).optional(),
        at: z.iso.datetime(),
      })
      .nullable(),
    schedules: z.array(scheduleSchema),
    lastRun: z
      .object({
        id: uuid,
        status: z.enum(runStatuses),
        createdAt: z.iso.datetime(),
        finishedAt: z.iso.datetime().nullable(),
      })
      .nullable()
      .describe('The most recent run, so lists need no second request'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Extraction' });
export type ExtractionView = z.infer<typeof extractionSchema>;

export const extractionPageSchema = z.object({
  items: z.array(extractionSchema),
  nextCursor: z.string().nullable(),
});

export const listExtractionsQuerySchema = z.strictObject({
  connectionId: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(512).optional(),
});

export const startRunBodySchema = z.strictObject({ from: day, to: day });

export const reconciliationSchema = z.object({
  checkedAt: z.iso.datetime(),
  status: z.enum(['matched', 'mismatched', 'skipped']),
  reason: z.string().optional(),
  mismatches: z.array(
    z.object({
      accountId: z.string(),
      date: z.string(),
      metric: z.string(),
      destination: z.number(),
      provider: z.number(),
    }),
  ),
  daysCompared: z.number().int(),
});

export const sliceSchema = z.object({
  id: uuid,
  accountId: z.string(),
  accountName: z.string(),
  from: day,
  to: day,
  status: z.enum(sliceStatuses),
  attempts: z.number().int(),
  rowsWritten: z.number().int(),
  apiCalls: z.number().int(),
  quotaWaitMs: z.number(),
  error: problemSchema.nullable(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
});

export const runSchema = z
  .object({
    id: uuid,
    extractionId: uuid,
    trigger: z.enum(['schedule', 'manual', 'backfill']),
    window: z.union([
      z.object({ kind: z.literal('lookback'), days: z.number().int() }),
      z.object({ kind: z.literal('range'), from: day, to: day }),
    ]),
    status: z.enum(runStatuses),
    rows: z.object({ inserted: z.number().int(), updated: z.number().int(), deleted: z.number().int() }),
    apiCalls: z.number().int(),
    quotaWaitMs: z.number(),
    durationMs: z.number().nullable(),
    error: problemSchema.nullable(),
    reconciliation: reconciliationSchema.nullable(),
    createdAt: z.iso.datetime(),
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Run' });
export type RunView = z.infer<typeof runSchema>;

export const runDetailSchema = runSchema
  .extend({
    slices: z.array(sliceSchema),
    log: z.array(z.object({ at: z.iso.datetime(), level: z.string(), message: z.string() })),
  })
  .meta({ id: 'RunDetail' });

export const previewSchema = z.object({
  account: z.object({ id: z.string(), name: z.string() }),
  from: day,
  to: day,
  columns: z.array(z.object({ name: z.string(), type: fieldSpecSchema.shape.type })),
  rows: z.array(z.record(z.string(), cellValue)),
  table: z.string(),
});

export const dataSchema = z.object({
  table: z.string(),
  columns: z.array(z.object({ name: z.string(), type: fieldSpecSchema.shape.type })),
  rows: z.array(z.record(z.string(), cellValue)),
});

export const ledgerSchema = z.object({
  items: z.array(
    z.object({
      accountId: z.string(),
      day,
      completeness: z.enum(['loaded', 'failed', 'skipped']),
      reason: z.string().nullable(),
      finality: z.enum(['provisional', 'final']),
      runId: uuid.nullable(),
    }),
  ),
});

export const ledgerQuerySchema = z.strictObject({
  from: day.optional(),
  to: day.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});

export const dataQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const eventSchema = z.object({
  id: z.number().int(),
  type: z.string(),
  subjectId: z.string(),
  subjectName: z
    .string()
    .nullable()
    .describe(
      'What the event is about, by name: "Meta Ads · alex@example.com", an extraction name; null once deleted',
    ),
  data: z.record(z.string(), z.unknown()),
  at: z.iso.datetime(),
});

export const listEventsQuerySchema = z.strictObject({
  type: z.string().max(100).optional(),
  before: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const schedulePreviewBodySchema = z.strictObject({
  schedules: z.array(scheduleInputSchema).min(1).max(10),
});

export const schedulePreviewSchema = z.object({
  items: z.array(
    z.object({
      cron: z.string(),
      nextRuns: z.array(z.iso.datetime()).describe('The next five run times, DST-correct'),
    }),
  ),
});

export const dailyTotalsQuerySchema = z.strictObject({
  from: day.optional(),
  to: day.optional(),
});

export const dailyTotalsSchema = z.object({
  table: z.string(),
  metrics: z.array(z.string()).describe('The numeric metrics summed, main ones first (at most 4)'),
  items: z.array(z.object({ date: day, values: z.record(z.string(), z.number()) })),
});
