import { eventsRepository } from '../../store/eventsRepository.ts';
import { type Handler, workspaceOf } from '../routes.ts';

/** GET /api/v1/events — newest first, each with the name of what it is about. */
export const listEvents: Handler<'listEvents'> = async (input, context) => {
  const events = await eventsRepository.list(context.db, {
    ...input.query,
    workspaceId: workspaceOf(input).workspaceId,
  });
  const names = await eventsRepository.subjectNames(
    context.db,
    events.map((event) => event.subjectId),
  );
  return {
    items: events.map((event) => ({
      ...event,
      subjectName: names.get(event.subjectId) ?? null,
      at: event.at.toISOString(),
    })),
  };
};
