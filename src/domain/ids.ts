/**
 * Object ids are UUIDs. A malformed id is simply an id of nothing (a 404), never a database error.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `id` has the shape of the ids Tributary issues. */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}
