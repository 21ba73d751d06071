import { describe, expect, it } from 'vitest';
import { addDays, eachDay, isIsoDay, todayIn, windowsRecentFirst } from './dates.ts';
import { compileSchedule, nextRunTimes, type ScheduleSpec } from './schedule.ts';

const base: ScheduleSpec = {
  frequency: 'daily',
  time: '06:00',
  timezone: 'America/New_York',
  lookbackDays: 28,
};

function cronOf(spec: ScheduleSpec): string {
  const compiled = compileSchedule(spec);
  if (!('cron' in compiled)) throw new Error(JSON.stringify(compiled.problems));
  return compiled.cron;
}

describe('schedules', () => {
  it('compiles every frequency', () => {
    expect(cronOf(base)).toBe('0 6 * * *');
    expect(cronOf({ ...base, frequency: 'every_4h', time: '01:30' })).toBe('30 1,5,9,13,17,21 * * *');
    expect(cronOf({ ...base, frequency: 'every_12h', time: '18:00' })).toBe('0 6,18 * * *');
    expect(cronOf({ ...base, frequency: 'weekly', weekday: 'friday' })).toBe('0 6 * * 5');
    expect(cronOf({ ...base, frequency: 'monthly', dayOfMonth: 'last' })).toBe('0 6 L * *');
    expect(cronOf({ ...base, frequency: 'cron', cron: '*/15 * * * *' })).toBe('*/15 * * * *');
  });

  it('names every bad field', () => {
    const bad = compileSchedule({
      ...base,
      frequency: 'weekly',
      time: '25:00',
      timezone: 'Mars/Olympus',
      lookbackDays: -1,
    });
    expect('problems' in bad && bad.problems.map((problem) => problem.field).sort()).toEqual([
      'lookbackDays',
      'time',
      'timezone',
      'weekday',
    ]);
    const cron = compileSchedule({ ...base, frequency: 'cron', cron: '61 * * * *' });
    expect('problems' in cron && cron.problems[0]?.field).toBe('cron');
    const monthly = compileSchedule({ ...base, frequency: 'monthly', dayOfMonth: 31 });
    expect('problems' in monthly && monthly.problems[0]?.field).toBe('dayOfMonth');
  });

  it('is DST-correct', () => {
    // 06:00 New York is 11:00Z in winter and 10:00Z after 8 March 2026.
    const runs = nextRunTimes('0 6 * * *', 'America/New_York', new Date('2026-03-06T12:00:00Z'), 4);
    expect(runs.map((run) => run.toISOString())).toEqual([
      '2026-03-07T11:00:00.000Z',
      '2026-03-08T10:00:00.000Z',
      '2026-03-09T10:00:00.000Z',
      '2026-03-10T10:00:00.000Z',
    ]);
    // 02:30 does not exist in Paris on 29 March 2026: the run still happens that day.
    const paris = nextRunTimes('30 2 * * *', 'Europe/Paris', new Date('2026-03-28T12:00:00Z'), 2);
    expect(paris[0]!.toISOString().slice(0, 10)).toBe('2026-03-29');
  });
});

describe('dates', () => {
  it('does day arithmetic and windows, recent first', () => {
    expect(isIsoDay('2026-02-29')).toBe(false);
    expect(isIsoDay('2028-02-29')).toBe(true);
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(eachDay('2026-01-30', '2026-02-02')).toEqual([
      '2026-01-30',
      '2026-01-31',
      '2026-02-01',
      '2026-02-02',
    ]);
    expect(windowsRecentFirst('2026-01-01', '2026-01-10', 4)).toEqual([
      { from: '2026-01-07', to: '2026-01-10' },
      { from: '2026-01-03', to: '2026-01-06' },
      { from: '2026-01-01', to: '2026-01-02' },
    ]);
    expect(todayIn('Pacific/Auckland', new Date('2026-06-01T13:00:00Z'))).toBe('2026-06-02');
    expect(todayIn('America/Los_Angeles', new Date('2026-06-01T03:00:00Z'))).toBe('2026-05-31');
  });
});
