/**
 * Checking what a user selects from a template — dimensions, metrics, settings — against the
 * template's fields, required fields and the provider's rules. Every problem names its field.
 */
import type { Template, TemplateSettingSpec } from '../connectors/kit/types.ts';

/** A validated selection. */
export interface Selection {
  dimensions: string[];
  metrics: string[];
  settings: Record<string, string[] | string | number>;
}

export interface SelectionProblem {
  field: string;
  message: string;
}

function settingProblem(spec: TemplateSettingSpec, value: unknown): string | null {
  switch (spec.kind) {
    case 'multi': {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
        return 'must be a list of strings';
      const unknown = value.filter((item) => !spec.options?.includes(item));
      if (unknown.length)
        return `unknown value(s) ${unknown.join(', ')}; allowed: ${spec.options?.join(', ')}`;
      if (value.length === 0) return 'must not be empty';
      return null;
    }
    case 'single':
      if (typeof value !== 'string' || !spec.options?.includes(value))
        return `must be one of ${spec.options?.join(', ')}`;
      return null;
    case 'integer':
      if (!Number.isInteger(value)) return 'must be a whole number';
      if (
        (spec.min !== undefined && (value as number) < spec.min) ||
        (spec.max !== undefined && (value as number) > spec.max)
      ) {
        return `must be between ${spec.min} and ${spec.max}`;
      }
      return null;
  }
}

/**
 * Validates a selection. Missing lists fall back to the template's defaults; required fields are
 * added back only if the caller omitted the list entirely — dropping one explicitly is a problem.
 */
export function validateSelection(
  template: Template,
  input: {
    dimensions?: string[] | undefined;
    metrics?: string[] | undefined;
    settings?: Record<string, unknown> | undefined;
  },
): { selection: Selection } | { problems: SelectionProblem[] } {
  const problems: SelectionProblem[] = [];
  const dimensions = input.dimensions ?? template.defaultDimensions;
  const metrics = input.metrics ?? template.defaultMetrics;
  const known = (list: { name: string }[]) => new Set(list.map((field) => field.name));
  const knownDimensions = known(template.dimensions);
  const knownMetrics = known(template.metrics);
  for (const [field, selected, available, required] of [
    ['dimensions', dimensions, knownDimensions, template.requiredDimensions],
    ['metrics', metrics, knownMetrics, template.requiredMetrics],
  ] as const) {
    const unknown = selected.filter((name) => !available.has(name));
    if (unknown.length) {
      problems.push({ field, message: `not in template ${template.id}: ${unknown.join(', ')}` });
    }
    const duplicates = selected.filter((name, index) => selected.indexOf(name) !== index);
    if (duplicates.length)
      problems.push({ field, message: `listed twice: ${[...new Set(duplicates)].join(', ')}` });
    const missing = required.filter((name) => !selected.includes(name));
    if (missing.length)
      problems.push({
        field,
        message: `required by the template and cannot be removed: ${missing.join(', ')}`,
      });
  }
  if (metrics.length === 0) problems.push({ field: 'metrics', message: 'select at least one metric' });
  const chosen = new Set([...dimensions, ...metrics]);
  for (const rule of template.rules) {
    const present = rule.fields.filter((name) => chosen.has(name));
    if (rule.kind === 'exclusive' && present.length > 1) {
      problems.push({
        field: 'dimensions',
        message: `${present.join(' and ')} cannot be combined: ${rule.message}`,
      });
    }
    if (rule.kind === 'requires' && chosen.has(rule.fields[0]!)) {
      const lacking = rule.fields.slice(1).filter((name) => !chosen.has(name));
      if (lacking.length) {
        problems.push({
          field: 'dimensions',
          message: `${rule.fields[0]} needs ${lacking.join(', ')}: ${rule.message}`,
        });
      }
    }
  }
  const settings: Record<string, string[] | string | number> = {};
  const given = input.settings ?? {};
  for (const name of Object.keys(given)) {
    if (!template.settings.some((spec) => spec.name === name)) {
      problems.push({ field: `settings.${name}`, message: `not a setting of template ${template.id}` });
    }
  }
  for (const spec of template.settings) {
    const value = given[spec.name];
    const effective = value === undefined ? spec.default : value;
    const problem = settingProblem(spec, effective);
    if (problem) problems.push({ field: `settings.${spec.name}`, message: problem });
    else settings[spec.name] = effective as string[] | string | number;
  }
  return problems.length
    ? { problems }
    : { selection: { dimensions: [...dimensions], metrics: [...metrics], settings } };
}
