import type { Handler } from '../routes.ts';

/** GET /api/v1/health */
export const health: Handler<'health'> = async (_input, context) => {
  await context.db.query('SELECT 1');
  return { status: 'ok', store: context.db.kind, version: context.version };
};
