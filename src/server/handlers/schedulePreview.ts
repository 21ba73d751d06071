import { nextRunTimes } from '../../domain/schedule.ts';
import { buildSchedules } from '../../extractions/setup.ts';
import type { Handler } from '../routes.ts';

/** POST /api/v1/schedules/preview — the same validation as saving, without saving. */
export const previewSchedules: Handler<'previewSchedules'> = async ({ body }, context) => {
  const now = context.now();
  const schedules = buildSchedules('preview', body.schedules, 0, now);
  return {
    items: schedules.map((schedule) => ({
      cron: schedule.cron,
      nextRuns: nextRunTimes(schedule.cron, schedule.timezone, now, 5).map((at) => at.toISOString()),
    })),
  };
};
