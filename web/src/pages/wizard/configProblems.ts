/**
 * What the wizard can tell before asking the server: the provider's rules on the current
 * selection, the table name, the backfill date. The server still judges on preview and create;
 * these only let the user hear about a problem while making it.
 */
import type { Template, WizardDraft } from './draft.ts';
import { tableNameProblem } from './draft.ts';
import type { FieldIssues } from './fieldIssues.ts';

export interface RuleViolation {
  /** The fields that clash (or the field missing its partner first). */
  fields: string[];
  message: string;
}

/** The template's rules the selection breaks right now. */
export function ruleViolations(template: Template, dimensions: string[], metrics: string[]): RuleViolation[] {
  const chosen = new Set([...dimensions, ...metrics]);
  const violations: RuleViolation[] = [];
  for (const rule of template.rules) {
    const present = rule.fields.filter((name) => chosen.has(name));
    if (rule.kind === 'exclusive' && present.length > 1) {
      violations.push({
        fields: present,
        message: `${present.join(' and ')} cannot be combined. ${rule.message}`,
      });
    }
    const [first, ...partners] = rule.fields;
    if (rule.kind === 'requires' && first && chosen.has(first)) {
      const lacking = partners.filter((name) => !chosen.has(name));
      if (lacking.length)
        violations.push({
          fields: [first, ...lacking],
          message: `${first} needs ${lacking.join(', ')}. ${rule.message}`,
        });
    }
  }
  return violations;
}

/** "2026-05-01" for today minus `days`, in UTC like the server's check. */
export function isoDayBefore(days: number, now = new Date()): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}

/** Problems in the Configure step, keyed like the API's field paths. */
export function configurationProblems(draft: WizardDraft, template: Template): FieldIssues {
  const problems: FieldIssues = {};
  const add = (field: string, message: string) => {
    problems[field] = [...(problems[field] ?? []), message];
  };
  const table = tableNameProblem(draft.table);
  if (table) add('table', table);
  if (!draft.name.trim()) add('name', 'Give the extraction a name');
  if (draft.metrics.length === 0) add('metrics', 'Select at least one metric');
  for (const violation of ruleViolations(template, draft.dimensions, draft.metrics))
    add('dimensions', violation.message);
  for (const setting of template.settings) {
    const value = draft.settings[setting.name];
    if (setting.kind === 'multi' && Array.isArray(value) && value.length === 0)
      add(`settings.${setting.name}`, 'Pick at least one');
  }
  if (draft.loadSince) {
    const earliest = isoDayBefore(template.historicalDepthDays);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(draft.loadSince)) add('loadSince', 'Enter a date');
    else if (draft.loadSince > isoDayBefore(0)) add('loadSince', 'Must not be in the future');
    else if (draft.loadSince < earliest)
      add(
        'loadSince',
        `The provider keeps ${template.historicalDepthDays} days of history; the earliest is ${earliest}`,
      );
  }
  draft.schedules.forEach((schedule, index) => {
    if (!Number.isInteger(schedule.lookbackDays) || schedule.lookbackDays < 0 || schedule.lookbackDays > 1095)
      add(`schedules.${index}.lookbackDays`, 'A whole number of days from 0 to 1095');
  });
  if (draft.schedules.length === 0) add('schedules', 'Add at least one schedule');
  return problems;
}
