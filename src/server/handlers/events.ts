import { eventsRepository } from '../../store/eventsRepository.ts';
import type { Handler } from '../routes.ts';

/** GET /api/v1/events */
export const listEvents: Handler<'listEvents'> = async ({ query }, context) => ({
  items: (await eventsRepository.list(context.db, query)).map((event) => ({
    ...event,
    at: event.at.toISOString(),
  })),
});
