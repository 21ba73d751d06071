/**
 * What each event type means to a user: how serious it is, one sentence built from its data,
 * and the page of the object it names.
 */
import type { EndpointResult } from '../../../../src/contract/endpoints.ts';

export type EventView = EndpointResult<'listEvents'>['items'][number];
export type Severity = 'error' | 'warning' | 'success' | 'info';

/** The event types a user can filter by, in the order the filter lists them. */
export const eventTypes = [
  { value: 'connection.error', label: 'Connection error' },
  { value: 'connection.recovered', label: 'Connection recovered' },
  { value: 'token.expiring', label: 'Token expiring' },
  { value: 'account.added', label: 'Account added' },
  { value: 'account.access_lost', label: 'Account access lost' },
  { value: 'run.failed', label: 'Run failed' },
  { value: 'run.partial', label: 'Run partial' },
  { value: 'reconciliation.mismatch', label: 'Reconciliation mismatch' },
  { value: 'extraction.paused', label: 'Extraction paused' },
];

const severities: Record<string, Severity> = {
  'connection.error': 'error',
  'run.failed': 'error',
  'account.access_lost': 'error',
  'token.expiring': 'warning',
  'run.partial': 'warning',
  'reconciliation.mismatch': 'warning',
  'extraction.paused': 'warning',
  'connection.recovered': 'success',
  'account.added': 'info',
};

export const severityColors: Record<Severity, string> = {
  error: 'red',
  warning: 'orange',
  success: 'teal',
  info: 'blue',
};

function text(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}

function count(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The problem a run event carries: `{error: {message}}` from the finalizer or `{code}` from the planner. */
function runProblem(data: Record<string, unknown>): string | null {
  const error = data.error as { message?: unknown; code?: unknown } | null | undefined;
  return text(error?.message) ?? text(error?.code) ?? text(data.code);
}

/** The label of an event type ("Run failed"); the raw type for one this UI does not know. */
export function eventTypeLabel(type: string): string {
  return eventTypes.find((entry) => entry.value === type)?.label ?? type;
}

/** How serious an event is (unknown types are informational). */
export function eventSeverity(type: string): Severity {
  return severities[type] ?? 'info';
}

/** One sentence about the event, from its data. */
export function eventMessage(event: EventView): string {
  const data = event.data;
  switch (event.type) {
    case 'connection.error':
      return `A connection stopped working: ${text(data.message) ?? text(data.code) ?? 'unknown error'}`;
    case 'connection.recovered':
      return 'A connection works again.';
    case 'token.expiring': {
      const days = count(data.daysLeft);
      return days > 0
        ? `A connection's authorization expires in ${plural(days, 'day')}: reconnect it before then.`
        : "A connection's authorization expires today: reconnect it.";
    }
    case 'account.added':
      return `${plural(count(data.count), 'new account')} found on a connection.`;
    case 'account.access_lost':
      return `Access lost to ${plural(count(data.count), 'account')} of a connection.`;
    case 'run.failed':
      return `A run failed${runProblem(data) ? `: ${runProblem(data)}` : '.'}`;
    case 'run.partial':
      return `A run loaded only part of its days${runProblem(data) ? `: ${runProblem(data)}` : '.'}`;
    case 'reconciliation.mismatch': {
      const found = Array.isArray(data.mismatches) ? data.mismatches.length : 0;
      return `Loaded totals differ from the provider's (${plural(found, 'difference')}).`;
    }
    case 'extraction.paused':
      return data.kind === 'manual'
        ? 'An extraction was paused by a user.'
        : `An extraction was paused automatically${text(data.reason) ? `: ${text(data.reason)}` : '.'}`;
    default:
      return eventTypeLabel(event.type);
  }
}

/** The page of the object an event names: its connection, its run, or its extraction. */
export function eventLink(event: EventView): { to: string; label: string } | null {
  const extractionId = text(event.data.extractionId);
  if (
    event.type.startsWith('connection.') ||
    event.type.startsWith('token.') ||
    event.type.startsWith('account.')
  ) {
    return { to: `/connections/${event.subjectId}`, label: 'Open connection' };
  }
  if ((event.type.startsWith('run.') || event.type === 'reconciliation.mismatch') && extractionId) {
    return { to: `/extractions/${extractionId}/runs/${event.subjectId}`, label: 'Open run' };
  }
  if (event.type.startsWith('extraction.')) {
    return { to: `/extractions/${event.subjectId}`, label: 'Open extraction' };
  }
  return null;
}
