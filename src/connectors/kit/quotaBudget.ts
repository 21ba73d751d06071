/**
 * A quota budget shared by every read of one connector in a process: when any read learns that
 * an ad account (or the whole app) is throttled until some time, every other extraction reading
 * the same account waits for the same time instead of spending a call to be rejected.
 *
 * It also keeps, per key, a {@link RollingQuota}: what this process learned about a provider's
 * rolling-window budget from the percentages it reports, so calls can be timed to the moment a slot
 * frees up instead of by a fixed pause.
 */

/** Milliseconds since the epoch; injectable so tests drive time by hand. */
export type Clock = () => number;

/** One call this process made under a key. */
interface CallRecord {
  sent: number;
  /** When the answer arrived; null while the call is in flight. */
  done: number | null;
}

/** Positive utilisation steps kept to estimate the per-call step. */
const STEP_SAMPLES = 16;
/** Own calls remembered per key: far more than any budget the model can infer (steps of ≥ 2 %: ≤ 50 calls). */
const CALL_MEMORY = 512;
/**
 * Smallest per-call step (percent) the model trusts. Providers round percentages; below 2 % per call
 * (budgets over 50 calls) steps of 0 and 1 mix and the count of calls behind a percentage is unknowable.
 */
const MIN_TRUSTED_STEP = 2;
/** Window bounds shorter than this come from reordered answers, not from a real budget. */
const MIN_WINDOW_MS = 1_000;
/** Slack after a computed departure: the provider's clock and ours are not the same clock. */
const DEPARTURE_MARGIN_MS = 100;
/** How often a caller looks again while another call is probing a full budget. */
const PROBE_POLL_MS = 250;

/**
 * What one process knows about a rolling-window budget (e.g. Meta's per-account insights budget) that
 * only reports utilisation in percent, and a regain estimate (rounded up) once a call is refused:
 * - the per-call step, from increases between consecutive answers (so the count of calls a percentage
 *   stands for, and the budget's capacity);
 * - the time of each of its own calls;
 * - an upper bound of the window's length, from two kinds of evidence: a refusal's regain time (the
 *   oldest counted call leaves by then), and every answer whose percentage shows fewer calls than this
 *   process made before it (the older ones have left by then).
 * With those it answers when the next call may go: at once while the budget has room, else when
 * enough of its own calls have left the window. Only upper bounds of the window are used, so a
 * departure is never predicted early (other clients' calls on the same budget are the exception: they
 * are invisible except through the percentages, which is why every answer corrects the count).
 */
export class RollingQuota {
  private readonly calls: CallRecord[] = [];
  private readonly steps: number[] = [];
  private lastPct: number | null = null;
  private lastAt = 0;
  private refusals = 0;
  /** Upper bound of the window length (ms), or null while unknown. */
  windowMs: number | null = null;

  constructor(
    private readonly clock: Clock,
    /** A call unanswered this long is taken as answered (its reader failed without telling us). */
    private readonly staleMs: number,
  ) {}

  /** The utilisation (percent) the last answer under this key reported, by any reader. */
  get lastPercent(): number | null {
    return this.lastPct;
  }

  /** The per-call step (percent) when enough consistent samples agree, else null. */
  step(): number | null {
    if (this.steps.length === 0) return null;
    const low = Math.min(...this.steps);
    // A sample much larger than the smallest spans several calls (concurrent or foreign ones).
    const single = this.steps.filter((value) => value <= 1.5 * low);
    if (single.length < 2 || low < MIN_TRUSTED_STEP) return null;
    return single.reduce((sum, value) => sum + value, 0) / single.length;
  }

  /** Calls a percentage stands for (rounded so a floored percentage still counts its last call). */
  private callsAt(pct: number, step: number): number {
    return Math.max(0, Math.ceil(pct / step - 0.05));
  }

  /** The budget's capacity in calls, when the step is known. */
  capacity(): number | null {
    const step = this.step();
    return step === null ? null : Math.max(1, this.callsAt(100, step));
  }

  /** Records a call about to be sent; pass it back to {@link answered} or {@link refused}. */
  start(): CallRecord {
    const call = { sent: this.clock(), done: null };
    this.calls.push(call);
    if (this.calls.length > CALL_MEMORY) this.calls.splice(0, this.calls.length - CALL_MEMORY);
    return call;
  }

  /** Calls answered before `before` (so counted before a call sent then), most recent first. */
  private answeredBefore(before: number, except: CallRecord): CallRecord[] {
    return this.calls
      .filter((call) => call !== except && call.done !== null && call.done <= before)
      .sort((a, b) => b.sent - a.sent);
  }

  private bound(windowMs: number): void {
    if (windowMs < MIN_WINDOW_MS) return;
    if (this.windowMs === null || windowMs < this.windowMs) this.windowMs = windowMs;
  }

  /** Takes in a call's answer and the utilisation it reported. */
  answered(call: CallRecord, pct: number): void {
    const now = this.clock();
    call.done = now;
    if (this.lastPct !== null && pct > this.lastPct) {
      this.steps.push(pct - this.lastPct);
      if (this.steps.length > STEP_SAMPLES) this.steps.shift();
    }
    this.lastPct = pct;
    this.lastAt = now;
    const step = this.step();
    if (step === null) return;
    // `pct` stands for `used` calls in the window. Of the calls answered before this one was sent (surely
    // counted earlier), at most `used` are still in it (used − 1 when this call counted; status polls may
    // not), so the (used + 1)-th most recent has left: the window is no longer than the time since it was sent.
    const used = this.callsAt(pct, step);
    const gone = this.answeredBefore(call.sent, call)[used];
    if (gone) this.bound(now - gone.sent);
  }

  /**
   * Takes in a refused call (not counted) and the time the provider said access returns: the window is
   * full, and its oldest call leaves by then. That call is no older than the capacity-th most recent of
   * ours sent before the refused one, so the window is no longer than `until` minus its sending time.
   */
  refused(call: CallRecord | null, until: number): void {
    if (call) this.calls.splice(this.calls.indexOf(call), 1);
    this.refusals += 1;
    const capacity = this.capacity();
    if (capacity === null || !call) return;
    const earlier = this.calls.filter((c) => c.sent <= call.sent).sort((a, b) => b.sent - a.sent);
    const oldest = earlier[capacity - 1];
    if (!oldest) return;
    const bound = until - oldest.sent;
    // A refusal the model did not foresee means its bound was wrong (other clients, reordering): start over.
    if (this.windowMs !== null && bound > this.windowMs) this.windowMs = null;
    this.bound(bound);
  }

  /** Forgets a call that failed without an answer (taken as counted: the provider may have counted it). */
  abandoned(call: CallRecord): void {
    if (call.done === null) call.done = this.clock();
  }

  /**
   * How long the next call should wait (ms), or null when the model has no opinion (the step is not
   * known yet, or the budget is held by calls it did not see): the caller then falls back on thresholds.
   */
  waitMs(): number | null {
    const now = this.clock();
    for (const call of this.calls) {
      if (call.done === null && now - call.sent > this.staleMs) call.done = now;
    }
    if (this.lastPct === null) return null;
    const inFlight = this.calls.filter((call) => call.done === null).length;
    const step = this.step();
    if (step === null) return this.waitForAnswers(this.lastPct, inFlight);
    const capacity = Math.max(1, this.callsAt(100, step));
    const used = Math.min(capacity, this.callsAt(this.lastPct, step));
    // Departures needed before this call fits: the last answer's count, the calls since, and this one.
    const needed = used + inFlight + 1 - capacity;
    if (needed <= 0) return 0;
    if (this.windowMs === null) {
      // Full, window unknown: one probe learns the regain estimate (the one refusal this costs is the only
      // way the provider tells time); others wait for its answer. After a refusal, no more probes.
      if (this.refusals > 0) return null;
      return inFlight > 0 ? PROBE_POLL_MS : 0;
    }
    // The last answer's calls are the most recent `used` ones of ours answered by then, oldest leaving first.
    const counted = this.calls
      .filter((call) => call.done !== null && call.done <= this.lastAt)
      .sort((a, b) => b.sent - a.sent)
      .slice(0, used)
      .sort((a, b) => a.done! - b.done!);
    const leaving = counted[needed - 1];
    if (leaving) return Math.max(0, leaving.done! + this.windowMs + DEPARTURE_MARGIN_MS - now);
    // Fewer of our calls than the count: other clients hold the rest, and we cannot see them leave.
    if (counted.length < used) return null;
    // The slot is one a call in flight now takes: it leaves no earlier than a window after it was sent;
    // look again then (or once its answer is in, when the poll is shorter).
    const inFlightSent = this.calls
      .filter((call) => call.done === null)
      .map((call) => call.sent)
      .sort((a, b) => a - b);
    const sent = inFlightSent[needed - counted.length - 1] ?? now;
    return Math.max(PROBE_POLL_MS, sent + this.windowMs + DEPARTURE_MARGIN_MS - now);
  }

  /**
   * Before the step is known, calls already in flight may fill the budget: the percentage over the calls
   * answered so far overstates the step (earlier usage only adds to it), so the capacity it implies is
   * low. When those in-flight calls would fill it, wait for their answers rather than be refused; with
   * nothing in flight, no opinion (the thresholds decide).
   */
  private waitForAnswers(pct: number, inFlight: number): number | null {
    const answered = this.calls.filter((call) => call.done !== null).length;
    if (inFlight === 0 || answered === 0) return null;
    const guess = pct / answered;
    if (guess < MIN_TRUSTED_STEP) return null;
    const capacity = Math.max(1, this.callsAt(100, guess));
    return this.callsAt(pct, guess) + inFlight + 1 > capacity ? PROBE_POLL_MS : null;
  }
}

/** Blocks and rolling-window knowledge per key (`account:123`, `app`), shared by a connector's reads. */
export class QuotaBudget {
  private readonly blocked = new Map<string, number>();
  private readonly rolling = new Map<string, RollingQuota>();

  constructor(
    /** The clock every decision uses; tests inject one. */
    readonly clock: Clock = Date.now,
  ) {}

  /** Records that calls under `key` (e.g. `account:123`, `app`) should not be made before `until`. */
  blockUntil(key: string, until: Date): void {
    const current = this.blocked.get(key) ?? 0;
    if (until.getTime() > current) this.blocked.set(key, until.getTime());
  }

  /** The latest time any of `keys` is blocked until, or null when calls may go now. */
  blockedUntil(keys: string[], now: number = this.clock()): Date | null {
    let latest = 0;
    for (const key of keys) {
      const until = this.blocked.get(key) ?? 0;
      if (until <= now) this.blocked.delete(key);
      else latest = Math.max(latest, until);
    }
    return latest > now ? new Date(latest) : null;
  }

  /** The rolling-window model of `key`, created on first use. */
  quota(key: string, staleMs: number): RollingQuota {
    let quota = this.rolling.get(key);
    if (!quota) {
      quota = new RollingQuota(this.clock, staleMs);
      this.rolling.set(key, quota);
    }
    return quota;
  }
}
