import { describe, expect, it } from 'vitest';
import type { Template } from '../connectors/kit/types.ts';
import { attributionDays, finalRunStatus, retryDelayMs } from './extraction.ts';
import { validateSelection } from './selection.ts';

const template: Template = {
  id: 'test.daily',
  dataSource: 'test',
  name: 'Test daily',
  description: '',
  dataClass: 'daily',
  level: 'campaign',
  dimensions: [
    { name: 'campaign_id', label: 'Campaign', type: 'string', description: '' },
    { name: 'country', label: 'Country', type: 'string', description: '' },
    { name: 'region', label: 'Region', type: 'string', description: '' },
    { name: 'placement', label: 'Placement', type: 'string', description: '' },
    { name: 'platform', label: 'Platform', type: 'string', description: '' },
  ],
  metrics: [
    { name: 'spend', label: 'Spend', type: 'money', description: '' },
    { name: 'clicks', label: 'Clicks', type: 'integer', description: '' },
  ],
  requiredDimensions: ['campaign_id'],
  requiredMetrics: ['spend'],
  defaultDimensions: ['campaign_id'],
  defaultMetrics: ['spend', 'clicks'],
  settings: [
    {
      name: 'windows',
      label: 'Windows',
      description: '',
      kind: 'multi',
      options: ['1d_click', '7d_click', '28d_click'],
      default: ['7d_click'],
    },
    { name: 'depth', label: 'Depth', description: '', kind: 'integer', min: 1, max: 10, default: 3 },
  ],
  rules: [
    { kind: 'exclusive', fields: ['country', 'region'], message: 'pick one geography' },
    { kind: 'requires', fields: ['placement', 'platform'], message: 'placements belong to a platform' },
  ],
  historicalDepthDays: 1095,
  defaultLookbackDays: 28,
  maxWindowDays: 7,
};

describe('selection', () => {
  it('fills defaults and validates settings', () => {
    expect(validateSelection(template, {})).toEqual({
      selection: {
        dimensions: ['campaign_id'],
        metrics: ['spend', 'clicks'],
        settings: { windows: ['7d_click'], depth: 3 },
      },
    });
  });

  it('names every problem', () => {
    const result = validateSelection(template, {
      dimensions: ['country', 'region', 'placement', 'nope'],
      metrics: ['clicks', 'clicks'],
      settings: { windows: ['2d_click'], depth: 11, colour: 'red' },
    });
    expect('problems' in result).toBe(true);
    const messages =
      'problems' in result ? result.problems.map((problem) => `${problem.field}: ${problem.message}`) : [];
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('dimensions: not in template test.daily: nope'),
        expect.stringContaining('required by the template and cannot be removed: campaign_id'),
        expect.stringContaining('metrics: listed twice: clicks'),
        expect.stringContaining('required by the template and cannot be removed: spend'),
        expect.stringContaining('country and region cannot be combined'),
        expect.stringContaining('placement needs platform'),
        expect.stringContaining('settings.windows: unknown value(s) 2d_click'),
        expect.stringContaining('settings.depth: must be between 1 and 10'),
        expect.stringContaining('settings.colour: not a setting'),
      ]),
    );
  });
});

describe('runs', () => {
  it('never reports a gap as plain success', () => {
    expect(finalRunStatus([{ status: 'succeeded' }, { status: 'succeeded' }], false)).toBe('succeeded');
    expect(finalRunStatus([{ status: 'succeeded' }, { status: 'failed' }], false)).toBe('partial');
    expect(finalRunStatus([{ status: 'succeeded' }, { status: 'skipped' }], false)).toBe('partial');
    expect(finalRunStatus([{ status: 'failed' }, { status: 'cancelled' }], false)).toBe('failed');
    expect(finalRunStatus([{ status: 'succeeded' }, { status: 'cancelled' }], true)).toBe('cancelled');
  });

  it('backs off exponentially with jitter', () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
    expect(retryDelayMs(3, 1000, () => 1)).toBe(4000);
    expect(retryDelayMs(30, 1000, () => 1)).toBe(1024 * 1000);
  });

  it('takes the longest attribution window for finality', () => {
    expect(attributionDays({ windows: ['1d_view', '28d_click'] }, 7)).toBe(28);
    expect(attributionDays({ action_report_time: 'mixed' }, 7)).toBe(7);
  });
});
