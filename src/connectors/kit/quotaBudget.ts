/**
 * A quota budget shared by every read of one connector in a process: when any read learns that
 * an ad account (or the whole app) is throttled until some time, every other extraction reading
 * the same account waits for the same time instead of spending a call to be rejected.
 */

export class QuotaBudget {
  private readonly blocked = new Map<string, number>();

  /** Records that calls under `key` (e.g. `account:123`, `app`) should not be made before `until`. */
  blockUntil(key: string, until: Date): void {
    const current = this.blocked.get(key) ?? 0;
    if (until.getTime() > current) this.blocked.set(key, until.getTime());
  }

  /** The latest time any of `keys` is blocked until, or null when calls may go now. */
  blockedUntil(keys: string[], now: number = Date.now()): Date | null {
    let latest = 0;
    for (const key of keys) {
      const until = this.blocked.get(key) ?? 0;
      if (until <= now) this.blocked.delete(key);
      else latest = Math.max(latest, until);
    }
    return latest > now ? new Date(latest) : null;
  }
}
