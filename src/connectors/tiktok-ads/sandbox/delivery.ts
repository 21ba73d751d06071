/**
 * Daily delivery of one ad: the generated ground truth every report row and `truth()` are sums of.
 *
 * A day's numbers are one flat vector of integers (counts, money in cents, play time in ms), so that
 * aggregation is vector addition and audience splits are exact: nothing is rounded after the ad-day
 * level, which keeps every data level, audience breakdown and the truth endpoint in exact agreement.
 *
 * Time behaviour, as of the advertiser-local date `today` and hour `h` of the virtual clock:
 * - days after `today` have no data; `today` is partial: every count is `floor(full × h / 24)`;
 * - `conversion` (and `result` of conversion campaigns) is restated for {@link RESTATEMENT_DAYS} days:
 *   `value(age) = floor(final × (2^(age+1) − 1) / 2^(age+1))` for `age = today − day < 7`, then `final`;
 * - everything else is final once the day is over.
 */
import type { LocalClock } from '../../../sandbox/calendar.ts';
import { weekday } from '../../../sandbox/calendar.ts';
import { RESTATEMENT_DAYS } from './constants.ts';
import type { AdvertiserEntities, SandboxAd } from './entities.ts';
import { seededRandom } from './hash.ts';

/** Slots of a day vector. */
export const SLOT = {
  impressions: 0,
  reach: 1,
  clicks: 2,
  /** Cents of the advertiser currency (every sandbox currency has two decimals). */
  spend: 3,
  conversion: 4,
  /** Clicks for awareness/traffic campaigns, conversions for conversion campaigns. */
  result: 5,
  videoPlayActions: 6,
  videoWatched2s: 7,
  videoWatched6s: 8,
  videoViewsP25: 9,
  videoViewsP50: 10,
  videoViewsP75: 11,
  videoViewsP100: 12,
  /** Total play time in ms, for `average_video_play`. */
  playMs: 13,
  likes: 14,
  comments: 15,
  shares: 16,
  follows: 17,
  profileVisits: 18,
} as const;

export const VECTOR_LENGTH = 19;

/** Rough rate per US dollar so prices look local. */
const perUsd: Record<string, number> = {
  USD: 1,
  EUR: 0.92,
  GBP: 0.79,
  AUD: 1.52,
  CAD: 1.36,
  SGD: 1.34,
  BRL: 5,
  MXN: 17,
};

/** Restated count `age` days after its day (see the module comment). */
export function restate(count: number, age: number): number {
  if (age >= RESTATEMENT_DAYS) return count;
  const denominator = 2 ** (age + 1);
  return Math.floor((count * (denominator - 1)) / denominator);
}

/**
 * The ad's numbers for one advertiser-local day as of `clock`, or null when it did not deliver (TikTok
 * leaves such rows out). Pure: the same inputs always give the same vector.
 */
export function adDay(
  entities: AdvertiserEntities,
  ad: SandboxAd,
  day: number,
  clock: LocalClock,
): Float64Array | null {
  if (day > clock.today || day < ad.startDay) return null;
  const random = seededRandom(`${entities.advertiser.advertiserId}|${ad.id}|${day}`);
  // Every draw happens unconditionally and in a fixed order, so a day's final numbers do not depend on
  // the clock; only the partial-day and restatement steps at the end do.
  if (random() < 0.06) return null;
  const dayFactor = (weekday(day) % 6 === 0 ? 1.15 : 1) * (1 + 0.2 * Math.sin(day / 23));
  const roundDown = (value: number) => Math.floor(value + random());
  const v = new Float64Array(VECTOR_LENGTH);
  const impressions = Math.max(50, Math.round(ad.dailyImpressions * dayFactor * (0.6 + 0.8 * random())));
  v[SLOT.impressions] = impressions;
  v[SLOT.reach] = Math.floor(impressions / (1.05 + 0.4 * random()));
  const clicks = roundDown(impressions * ad.ctr * (0.7 + 0.6 * random()));
  v[SLOT.clicks] = clicks;
  const centsPerMille =
    ad.cpmUsd * (perUsd[entities.advertiser.currency] ?? 1) * 100 * (0.85 + 0.3 * random());
  v[SLOT.spend] = Math.max(1, Math.round((impressions * centsPerMille) / 1000));
  v[SLOT.conversion] = roundDown(clicks * ad.conversionRate * (0.6 + 0.8 * random()));
  const plays = Math.floor(impressions * (0.6 + 0.3 * random()));
  v[SLOT.videoPlayActions] = plays;
  v[SLOT.videoWatched2s] = Math.floor(plays * (0.3 + 0.2 * random()));
  v[SLOT.videoWatched6s] = Math.floor(v[SLOT.videoWatched2s]! * (0.2 + 0.2 * random()));
  v[SLOT.videoViewsP25] = Math.floor(plays * (0.08 + 0.06 * random()));
  v[SLOT.videoViewsP50] = Math.floor(v[SLOT.videoViewsP25]! * (0.4 + 0.2 * random()));
  v[SLOT.videoViewsP75] = Math.floor(v[SLOT.videoViewsP50]! * (0.6 + 0.2 * random()));
  v[SLOT.videoViewsP100] = Math.floor(v[SLOT.videoViewsP75]! * (0.6 + 0.2 * random()));
  v[SLOT.playMs] = Math.round(plays * (1200 + 1500 * random()));
  v[SLOT.likes] = Math.floor(impressions * 0.006 * random());
  v[SLOT.comments] = Math.floor(impressions * 0.0008 * random());
  v[SLOT.shares] = Math.floor(impressions * 0.0005 * random());
  v[SLOT.follows] = Math.floor(impressions * 0.0004 * random());
  v[SLOT.profileVisits] = Math.floor(impressions * 0.002 * random());

  if (day === clock.today) {
    for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) v[slot] = Math.floor((v[slot]! * clock.hour) / 24);
    if (v[SLOT.impressions] === 0) return null;
    // Spend is never zero on a day with impressions.
    v[SLOT.spend] = Math.max(1, v[SLOT.spend]!);
  }
  v[SLOT.conversion] = restate(v[SLOT.conversion]!, clock.today - day);
  const objective = entities.campaigns[ad.campaign]!.objective;
  v[SLOT.result] = objective === 'WEB_CONVERSIONS' ? v[SLOT.conversion]! : v[SLOT.clicks]!;
  return v;
}

/** Adds `source` into `target`, slot by slot. */
export function addInto(target: Float64Array, source: Float64Array): void {
  for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) target[slot]! += source[slot]!;
}
