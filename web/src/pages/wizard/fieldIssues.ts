/**
 * The field problems a 400 names, keyed by field path ("table", "schedules.1.timezone"), so each
 * one can be shown next to the control it is about. The server is the judge of what is allowed.
 */
import { ApiError } from '../../api.ts';

export type FieldIssues = Record<string, string[]>;

/** Field path → messages, from an API error's `details.issues` (zod's `path` or the setup checks' `field`). */
export function fieldIssuesOf(error: unknown): FieldIssues {
  if (!(error instanceof ApiError)) return {};
  const issues = error.details?.issues;
  if (!Array.isArray(issues)) return {};
  const byField: FieldIssues = {};
  for (const issue of issues) {
    const item = issue as { path?: unknown; field?: unknown; message?: unknown };
    const field =
      typeof item.path === 'string' ? item.path : typeof item.field === 'string' ? item.field : '';
    if (!field) continue;
    byField[field] = [...(byField[field] ?? []), String(item.message)];
  }
  return byField;
}

/** The messages for `field` and anything under it (`settings` covers `settings.x`), joined for an input's error. */
export function issueText(issues: FieldIssues, field: string): string | undefined {
  const messages = Object.entries(issues)
    .filter(([path]) => path === field || path.startsWith(`${field}.`))
    .flatMap(([, list]) => list);
  return messages.length ? messages.join('; ') : undefined;
}
