/**
 * The Ads Insights business-use-case budget per ad account, and the headers that report it. Meta gives
 * every ad account a rolling budget of insights calls and reports its use as percentages in
 * `x-business-use-case-usage` (keyed by the account id, type `ads_insights`) and
 * `x-fb-ads-insights-throttle`; clients pace themselves by these. The window runs on the REAL clock:
 * moving the virtual clock to restate data must not refill or drain anybody's budget.
 */
import type { BusinessUseCaseEntry } from './wire.ts';

/** The budget: at most `callsPerWindow` counted calls per account in any `windowMs`. */
export interface InsightsLimits {
  callsPerWindow: number;
  windowMs: number;
}

/** Generous enough that normal use (even the 1,200-account agency) never meets it. */
export const DEFAULT_INSIGHTS_LIMITS: InsightsLimits = { callsPerWindow: 600, windowMs: 60_000 };

/** One account's position against the budget. */
export interface ThrottleState {
  accountId: string;
  /** False when the call was refused (and not counted). */
  allowed: boolean;
  /** Counted calls in the current window, this one included. */
  used: number;
  limits: InsightsLimits;
  /** Milliseconds until the oldest counted call leaves the window (when a slot frees up). */
  msUntilSlot: number;
}

/** Counts insights calls per account on the real clock. */
export class InsightsThrottle {
  private limits: InsightsLimits = { ...DEFAULT_INSIGHTS_LIMITS };
  private readonly calls = new Map<string, number[]>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** The current budget. */
  getLimits(): InsightsLimits {
    return { ...this.limits };
  }

  /** Replaces the budget and forgets recorded calls, so a test starts from an empty window. */
  setLimits(limits: InsightsLimits): void {
    this.limits = { ...limits };
    this.calls.clear();
  }

  private window(accountId: string): number[] {
    const now = this.clock();
    const calls = (this.calls.get(accountId) ?? []).filter((at) => now - at < this.limits.windowMs);
    this.calls.set(accountId, calls);
    return calls;
  }

  private state(accountId: string, calls: number[], allowed: boolean): ThrottleState {
    const oldest = calls[0];
    const msUntilSlot = oldest === undefined ? 0 : Math.max(0, oldest + this.limits.windowMs - this.clock());
    return { accountId, allowed, used: calls.length, limits: this.getLimits(), msUntilSlot };
  }

  /** Counts one call when the budget has room; a refused call is not counted, as it did no work. */
  take(accountId: string): ThrottleState {
    const calls = this.window(accountId);
    if (calls.length >= this.limits.callsPerWindow) return this.state(accountId, calls, false);
    calls.push(this.clock());
    return this.state(accountId, calls, true);
  }

  /** The account's usage without counting a call (report-run status polls). */
  peek(accountId: string): ThrottleState {
    const calls = this.window(accountId);
    return this.state(accountId, calls, calls.length < this.limits.callsPerWindow);
  }
}

/** Percentage of the budget used: `100 × used / limit`, 100 once refused. */
function percentUsed(state: ThrottleState): number {
  if (!state.allowed) return 100;
  return Math.min(100, Math.floor((100 * state.used) / state.limits.callsPerWindow));
}

/** `x-business-use-case-usage` for one account, as sendGraph writes it. */
export function businessUseCaseUsage(state: ThrottleState): Record<string, BusinessUseCaseEntry[]> {
  const callCount = percentUsed(state);
  return {
    [state.accountId]: [
      {
        type: 'ads_insights',
        call_count: callCount,
        // Time budgets track calls loosely; call_count is the one that throttles here.
        total_cputime: Math.floor(callCount / 2),
        total_time: Math.floor(callCount / 2),
        // Minutes, rounded up: Meta's unit. 0 while the account is not throttled.
        estimated_time_to_regain_access: state.allowed
          ? 0
          : Math.max(1, Math.ceil(state.msUntilSlot / 60_000)),
      },
    ],
  };
}

/** `x-fb-ads-insights-throttle`: the app's and the account's utilisation, in percent. */
export function insightsThrottleHeader(state: ThrottleState, appCallCount: number): string {
  return JSON.stringify({
    app_id_util_pct: appCallCount,
    acc_id_util_pct: percentUsed(state),
    ads_api_access_tier: 'standard_access',
  });
}
