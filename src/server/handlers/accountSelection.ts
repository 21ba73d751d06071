import { TributaryError } from '../../domain/errors.ts';
import type { Handler } from '../routes.ts';

/** PATCH /api/v1/connections/:id/accounts — WIP */
export const updateConnectionAccounts: Handler<'updateConnectionAccounts'> = async () => {
  throw new TributaryError('internal_error', 'not built yet');
};
