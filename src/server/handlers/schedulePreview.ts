import { TributaryError } from '../../domain/errors.ts';
import type { Handler } from '../routes.ts';

export const previewSchedules: Handler<'previewSchedules'> = async () => {
  throw new TributaryError('internal_error', 'not built yet');
};
export const getExtractionDailyTotals: Handler<'getExtractionDailyTotals'> = async () => {
  throw new TributaryError('internal_error', 'not built yet');
};
