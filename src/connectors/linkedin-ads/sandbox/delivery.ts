/**
 * Daily delivery of one creative: the generated ground truth every analytics element and `truth()` are
 * sums of.
 *
 * A day's numbers are one flat vector of integers (counts; money in thousandths of the currency, the
 * precision of LinkedIn's decimal strings such as `"209.449"`), so aggregation to campaign, group or
 * account is exact integer addition and every pivot sums to the same totals.
 *
 * Time behaviour, with `today` the UTC day of the virtual clock and `hour` its UTC hour:
 * - days after `today` have no data; `today` is partial: every count is `floor(full × hour / 24)`;
 * - post-click and post-view conversions and conversion value are restated for {@link RESTATEMENT_DAYS}
 *   days: at `age = today − day < 7` the value is `final − floor(final / 2^(age+1))`, then `final`;
 * - everything else is final once the UTC day is over.
 */
import { weekday } from '../../../sandbox/calendar.ts';
import { RESTATEMENT_DAYS } from './constants.ts';
import type { AccountEntities, SandboxCreative } from './entities.ts';
import { seededRandom } from './hash.ts';

/** Slots of a day vector. */
export const SLOT = {
  impressions: 0,
  clicks: 1,
  /** Thousandths of the account currency. */
  costLocal: 2,
  /** Thousandths of a US dollar. */
  costUsd: 3,
  landingPageClicks: 4,
  postClickConversions: 5,
  postViewConversions: 6,
  /** Thousandths of the account currency. */
  conversionValue: 7,
  oneClickLeads: 8,
  totalEngagements: 9,
  likes: 10,
  comments: 11,
  shares: 12,
  follows: 13,
  videoViews: 14,
  videoStarts: 15,
  videoCompletions: 16,
  approximateUniqueImpressions: 17,
} as const;

export const VECTOR_LENGTH = 18;

/** Slots that are restated while a day is younger than the restatement window. */
const RESTATED: readonly number[] = [
  SLOT.postClickConversions,
  SLOT.postViewConversions,
  SLOT.conversionValue,
];

/** Units of each currency per US dollar, so costs look local and `costInUsd` differs. */
const perUsd: Record<string, number> = { USD: 1, EUR: 0.92, GBP: 0.79, CAD: 1.36, AUD: 1.52 };

/** The UTC day and hour of the virtual clock. */
export interface UtcClock {
  today: number;
  hour: number;
}

/** Where an instant falls in UTC. */
export function utcClock(now: Date): UtcClock {
  return { today: Math.floor(now.getTime() / 86_400_000), hour: now.getUTCHours() };
}

/** A restated value `age` days after its day (see the module comment). */
export function restate(final: number, age: number): number {
  if (age >= RESTATEMENT_DAYS) return final;
  return final - Math.floor(final / 2 ** (age + 1));
}

/**
 * The creative's numbers for one UTC day as of `clock`, or null when it did not deliver (LinkedIn leaves
 * such elements out). Pure: the same inputs always give the same vector.
 */
export function creativeDay(
  entities: AccountEntities,
  creative: SandboxCreative,
  day: number,
  clock: UtcClock,
): Float64Array | null {
  if (day > clock.today || day < creative.startDay) return null;
  const random = seededRandom(`${entities.account.id}|${creative.id}|${day}`);
  // Every draw happens unconditionally and in a fixed order, so a day's final numbers do not depend on
  // the clock; only the partial-day and restatement steps at the end do.
  const skip = random() < 0.05 && !creative.alwaysOn;
  const weekend = weekday(day) === 0 || weekday(day) === 6;
  const dayFactor = (weekend ? 0.45 : 1) * (1 + 0.15 * Math.sin(day / 17));
  const roundDown = (value: number) => Math.floor(value + random());
  const v = new Float64Array(VECTOR_LENGTH);
  const impressions = Math.max(
    40,
    Math.round(creative.dailyImpressions * dayFactor * (0.6 + 0.8 * random())),
  );
  v[SLOT.impressions] = impressions;
  const clicks = roundDown(impressions * creative.ctr * (0.7 + 0.6 * random()));
  v[SLOT.clicks] = clicks;
  const costLocal = Math.max(1, Math.round(impressions * creative.cpm * (0.85 + 0.3 * random())));
  v[SLOT.costLocal] = costLocal;
  v[SLOT.costUsd] = Math.max(1, Math.round(costLocal / (perUsd[entities.account.currency] ?? 1)));
  v[SLOT.landingPageClicks] = Math.floor(clicks * (0.6 + 0.3 * random()));
  v[SLOT.postClickConversions] = roundDown(clicks * creative.conversionRate * (0.6 + 0.8 * random()));
  v[SLOT.postViewConversions] = roundDown(impressions * creative.conversionRate * 0.002 * random());
  const conversions = v[SLOT.postClickConversions]! + v[SLOT.postViewConversions]!;
  v[SLOT.conversionValue] = Math.round(conversions * (40_000 + 160_000 * random()));
  v[SLOT.oneClickLeads] = roundDown(clicks * 0.04 * random());
  const likes = Math.floor(impressions * 0.004 * random());
  const comments = Math.floor(impressions * 0.0006 * random());
  const shares = Math.floor(impressions * 0.0004 * random());
  const follows = Math.floor(impressions * 0.0003 * random());
  v[SLOT.likes] = likes;
  v[SLOT.comments] = comments;
  v[SLOT.shares] = shares;
  v[SLOT.follows] = follows;
  v[SLOT.totalEngagements] = clicks + likes + comments + shares + follows;
  const starts = Math.floor(impressions * 0.3 * random());
  v[SLOT.videoStarts] = starts;
  v[SLOT.videoViews] = Math.floor(starts * (0.4 + 0.3 * random()));
  v[SLOT.videoCompletions] = Math.floor(v[SLOT.videoViews]! * (0.2 + 0.3 * random()));
  v[SLOT.approximateUniqueImpressions] = Math.floor(impressions / (1.1 + 0.5 * random()));
  if (skip) return null;

  if (day === clock.today) {
    for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) v[slot] = Math.floor((v[slot]! * clock.hour) / 24);
    if (v[SLOT.impressions] === 0) return null;
    // A day with impressions always costs something.
    v[SLOT.costLocal] = Math.max(1, v[SLOT.costLocal]!);
    v[SLOT.costUsd] = Math.max(1, v[SLOT.costUsd]!);
  }
  for (const slot of RESTATED) v[slot] = restate(v[slot]!, clock.today - day);
  return v;
}

/** Adds `source` into `target`, slot by slot. */
export function addInto(target: Float64Array, source: Float64Array): void {
  for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) target[slot]! += source[slot]!;
}

/** Thousandths as LinkedIn's decimal string: `209449` → `"209.449"`, `5` → `"0.005"`. */
export function decimalString(thousandths: number): string {
  const whole = Math.floor(thousandths / 1000);
  return `${whole}.${String(thousandths % 1000).padStart(3, '0')}`;
}
