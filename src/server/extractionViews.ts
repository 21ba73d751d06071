/**
 * Maps extractions, schedules, runs and templates to the contract's shapes.
 */
import type { ExtractionView, RunView, TemplateView } from '../contract/extractionSchemas.ts';
import type { Extraction, ExtractionSchedule, Run, Slice } from '../domain/extraction.ts';
import { nextRunTimes } from '../domain/schedule.ts';
import type { ResolvedTemplate } from '../engine/templateCatalog.ts';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export function templateView(resolved: ResolvedTemplate): TemplateView {
  const { template } = resolved;
  return {
    id: template.id,
    dataSource: template.dataSource,
    name: template.name,
    description: template.description,
    custom: resolved.custom,
    baseTemplateId: resolved.baseTemplateId,
    dataClass: template.dataClass,
    level: template.level,
    dimensions: template.dimensions,
    metrics: template.metrics,
    requiredDimensions: template.requiredDimensions,
    requiredMetrics: template.requiredMetrics,
    defaultDimensions: template.defaultDimensions,
    defaultMetrics: template.defaultMetrics,
    settings: template.settings,
    rules: template.rules,
    historicalDepthDays: template.historicalDepthDays,
    defaultLookbackDays: template.defaultLookbackDays,
    maxWindowDays: template.maxWindowDays,
  };
}

export function extractionView(
  extraction: Extraction,
  schedules: ExtractionSchedule[],
  now: Date,
  lastRun: Run | null = null,
): ExtractionView {
  return {
    id: extraction.id,
    name: extraction.name,
    connectionId: extraction.connectionId,
    dataSource: extraction.dataSource,
    templateId: extraction.templateId,
    accounts: extraction.accounts,
    dimensions: extraction.dimensions,
    metrics: extraction.metrics,
    settings: extraction.settings,
    loadSince: extraction.loadSince,
    destinationId: extraction.destinationId,
    table: extraction.tableName,
    status: extraction.status,
    statusDetails: extraction.statusDetails,
    schedules: schedules.map((schedule) => ({
      id: schedule.id,
      frequency: schedule.spec.frequency,
      time: schedule.spec.time,
      timezone: schedule.timezone,
      ...(schedule.spec.weekday ? { weekday: schedule.spec.weekday } : {}),
      ...(schedule.spec.dayOfMonth !== undefined ? { dayOfMonth: schedule.spec.dayOfMonth } : {}),
      cron: schedule.cron,
      lookbackDays: schedule.lookbackDays,
      nextRuns: nextRunTimes(schedule.cron, schedule.timezone, now, 5).map((at) => at.toISOString()),
      lastRunAt: iso(schedule.lastRunAt),
    })),
    lastRun: lastRun
      ? {
          id: lastRun.id,
          status: lastRun.status,
          createdAt: lastRun.createdAt.toISOString(),
          finishedAt: iso(lastRun.finishedAt),
        }
      : null,
    createdAt: extraction.createdAt.toISOString(),
    updatedAt: extraction.updatedAt.toISOString(),
  };
}

export function runView(run: Run): RunView {
  return {
    id: run.id,
    extractionId: run.extractionId,
    trigger: run.trigger,
    window: run.window,
    status: run.status,
    rows: { inserted: run.rowsInserted, updated: run.rowsUpdated, deleted: run.rowsDeleted },
    apiCalls: run.apiCalls,
    quotaWaitMs: run.quotaWaitMs,
    durationMs: run.startedAt && run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    error: run.error,
    reconciliation: run.reconciliation,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
  };
}

export function sliceView(slice: Slice) {
  return {
    id: slice.id,
    accountId: slice.accountId,
    accountName: slice.accountName,
    from: slice.from,
    to: slice.to,
    status: slice.status,
    attempts: slice.attempts,
    rowsWritten: slice.rowsWritten,
    apiCalls: slice.apiCalls,
    quotaWaitMs: slice.quotaWaitMs,
    error: slice.error,
    startedAt: iso(slice.startedAt),
    finishedAt: iso(slice.finishedAt),
  };
}
