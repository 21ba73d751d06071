/**
 * Meta's own calendar limit for Ads Insights; the shared day arithmetic is in `src/sandbox/calendar.ts`.
 */
import { addMonths } from '../../../sandbox/calendar.ts';

/**
 * Meta keeps 37 months of insights: the earliest day a query may start on, for an account whose
 * local date is `today`.
 */
export function earliestQueryableDay(today: number): number {
  return addMonths(today, -37);
}
