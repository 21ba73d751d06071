/**
 * Daily delivery of one ad: the generated ground truth every insights row and `truth()` are sums of.
 *
 * A day's numbers are one flat vector of integers (counts, and money in the currency's minor unit) so
 * that aggregation is vector addition and breakdown splits are exact: nothing is ever rounded after the
 * ad-day level, which is what keeps every level, breakdown and the truth endpoint in exact agreement.
 *
 * Time behaviour, as of the virtual clock's account-local date `today` and hour `h`:
 * - days after `today` have no data;
 * - `today` is partial: every count is `floor(full × h / 24)`;
 * - conversion-type actions (see {@link CONVERSION_ACTIONS}) are restated for a week:
 *   `value(age) = floor(final × (2^(age+1) − 1) / 2^(age+1))` for `age = today − day < 7`, `final`
 *   afterwards (each attribution-window component separately; purchase values follow the counts);
 * - everything else is final once the day is over.
 */
import type { LocalClock } from '../../../sandbox/calendar.ts';
import { weekday } from '../../../sandbox/calendar.ts';
import type { AccountEntities, SandboxAd } from './entities.ts';
import { seededRandom } from './hash.ts';

/** Action types the sandbox reports, in the order they appear in `actions`. */
export const ACTION_TYPES = [
  'link_click',
  'landing_page_view',
  'post_engagement',
  'page_engagement',
  'video_view',
  'lead',
  'add_to_cart',
  'initiate_checkout',
  'purchase',
  'offsite_conversion.fb_pixel_purchase',
] as const;

/** Action types whose counts keep arriving after the day (attributed conversions). */
export const CONVERSION_ACTIONS: ReadonlySet<string> = new Set([
  'lead',
  'add_to_cart',
  'initiate_checkout',
  'purchase',
  'offsite_conversion.fb_pixel_purchase',
]);

/** Action types that also carry a monetary value (`action_values`). */
export const VALUE_ACTIONS = ['purchase', 'offsite_conversion.fb_pixel_purchase'] as const;

/** Attribution windows modelled per action, in component order. */
export const WINDOWS = [
  '1d_click',
  '7d_click',
  '28d_click',
  '1d_view',
  '7d_view',
  '28d_view',
  '1d_ev',
] as const;

/** Components summed into `value`: the account's default attribution setting, 7-day click + 1-day view. */
export const DEFAULT_COMPONENTS: readonly number[] = [1, 3];

/** Slots of the scalar metrics in a day vector. */
export const SLOT = { impressions: 0, reach: 1, clicks: 2, uniqueClicks: 3, inlineLinkClicks: 4, spend: 5 };

const ACTIONS_BASE = 6;
const VALUES_BASE = ACTIONS_BASE + ACTION_TYPES.length * WINDOWS.length;

/** Length of a day vector. */
export const VECTOR_LENGTH = VALUES_BASE + VALUE_ACTIONS.length * WINDOWS.length;

/** Slot of an action count for one attribution-window component. */
export function actionSlot(action: number, component: number): number {
  return ACTIONS_BASE + action * WINDOWS.length + component;
}

/** Slot of an action value (minor units) for one attribution-window component. */
export function valueSlot(valueAction: number, component: number): number {
  return VALUES_BASE + valueAction * WINDOWS.length + component;
}

/** Count slot of every value slot (index: value slot − VALUES_BASE); splits ask for it per slot. */
const COUNT_SLOTS: readonly number[] = Array.from(
  { length: VALUE_ACTIONS.length * WINDOWS.length },
  (_, index) =>
    actionSlot(
      ACTION_TYPES.indexOf(VALUE_ACTIONS[Math.floor(index / WINDOWS.length)]!),
      index % WINDOWS.length,
    ),
);

/** The count slot an action-value slot is priced on (value = count × order value), if it is one. */
export function countSlotOfValue(slot: number): number | undefined {
  return slot < VALUES_BASE ? undefined : COUNT_SLOTS[slot - VALUES_BASE];
}

/** Currencies: decimals of the minor unit, and a rough rate per US dollar so prices look local. */
const currencies: Record<string, { exponent: number; perUsd: number }> = {
  USD: { exponent: 2, perUsd: 1 },
  EUR: { exponent: 2, perUsd: 0.92 },
  GBP: { exponent: 2, perUsd: 0.79 },
  CAD: { exponent: 2, perUsd: 1.36 },
  AUD: { exponent: 2, perUsd: 1.52 },
  // Meta reports yen without decimals, as the currency has none.
  JPY: { exponent: 0, perUsd: 150 },
  BRL: { exponent: 2, perUsd: 5 },
  INR: { exponent: 2, perUsd: 83 },
  SEK: { exponent: 2, perUsd: 10.5 },
  CHF: { exponent: 2, perUsd: 0.88 },
  MXN: { exponent: 2, perUsd: 17 },
  SGD: { exponent: 2, perUsd: 1.34 },
};

/** Decimals of the currency's minor unit (2 for most, 0 for JPY). */
export function currencyExponent(currency: string): number {
  return currencies[currency]?.exponent ?? 2;
}

/** Minor units of `currency` for an amount in US dollars. */
function minorPerUsd(currency: string): number {
  const info = currencies[currency] ?? { exponent: 2, perUsd: 1 };
  return info.perUsd * 10 ** info.exponent;
}

/** Restated count of a conversion `age` days after its day (see the module comment). */
export function restate(count: number, age: number): number {
  if (age >= 7) return count;
  const denominator = 2 ** (age + 1);
  return Math.floor((count * (denominator - 1)) / denominator);
}

const actionIndex = (type: (typeof ACTION_TYPES)[number]) => ACTION_TYPES.indexOf(type);

/**
 * The ad's numbers for one account-local day as of `clock`, or null when it did not deliver (Meta
 * leaves such rows out). Pure: the same inputs always give the same vector.
 */
export function adDay(
  entities: AccountEntities,
  ad: SandboxAd,
  day: number,
  clock: LocalClock,
): Float64Array | null {
  if (day > clock.today || day < ad.startDay) return null;
  const random = seededRandom(`${entities.account.accountId}|${ad.id}|${day}`);
  // Every draw below happens unconditionally, in a fixed order, so the final numbers of a day do not
  // depend on the clock; only the partial-day and restatement steps at the end do.
  if (random() < 0.08) return null;
  const objective = entities.campaigns[ad.campaign]!.objective;
  const dayFactor = (weekday(day) % 6 === 0 ? 0.8 : 1) * (1 + 0.25 * Math.sin(day / 29));
  const roundDown = (value: number) => Math.floor(value + random());
  const v = new Float64Array(VECTOR_LENGTH);
  const impressions = Math.max(100, Math.round(ad.dailyImpressions * dayFactor * (0.6 + 0.8 * random())));
  v[SLOT.impressions] = impressions;
  v[SLOT.reach] = Math.floor(impressions / (1.03 + 0.5 * random()));
  const clicks = roundDown(impressions * ad.ctr * (0.7 + 0.6 * random()));
  v[SLOT.clicks] = clicks;
  v[SLOT.uniqueClicks] = Math.floor(clicks * (0.82 + 0.16 * random()));
  const inline = Math.floor(clicks * (0.55 + 0.35 * random()));
  v[SLOT.inlineLinkClicks] = inline;
  const perMille = ad.cpmUsd * minorPerUsd(entities.account.currency) * (0.85 + 0.3 * random());
  v[SLOT.spend] = Math.max(1, Math.round((impressions * perMille) / 1000));

  const landing = Math.floor(inline * (0.6 + 0.3 * random()));
  const postEngagement = clicks + Math.floor(impressions * 0.004 * random());
  const engagement: [(typeof ACTION_TYPES)[number], number][] = [
    ['link_click', inline],
    ['landing_page_view', landing],
    ['post_engagement', postEngagement],
    ['page_engagement', postEngagement + Math.floor(postEngagement * 0.08 * random())],
    ['video_view', Math.floor(impressions * (0.02 + 0.15 * random()))],
  ];
  // Engagement happens on the click: every click window sees it, view windows do not.
  for (const [type, count] of engagement) {
    for (const component of [0, 1, 2]) v[actionSlot(actionIndex(type), component)] = count;
  }

  // Roughly 1–4 % of landing-page visits buy on a sales campaign, far fewer elsewhere.
  const cartRate = objective === 'OUTCOME_SALES' ? 0.12 : objective === 'OUTCOME_TRAFFIC' ? 0.04 : 0.008;
  const addToCart = roundDown(landing * cartRate * (1 + 1.5 * random()));
  const checkout = roundDown(addToCart * (0.4 + 0.3 * random()));
  const purchase = roundDown(checkout * (0.4 + 0.35 * random()));
  const lead = objective === 'OUTCOME_LEADS' ? roundDown(landing * (0.08 + 0.12 * random())) : 0;
  const conversions: [(typeof ACTION_TYPES)[number], number][] = [
    ['lead', lead],
    ['add_to_cart', addToCart],
    ['initiate_checkout', checkout],
    ['purchase', purchase],
  ];
  for (const [type, total] of conversions) {
    // `total` is the default-attribution count (7d_click + 1d_view); the other windows nest around it.
    const view1 = roundDown(total * (0.1 + 0.2 * random()));
    const click7 = total - view1;
    const click1 = click7 - roundDown(click7 * (0.1 + 0.25 * random()));
    const click28 = click7 + roundDown(click7 * 0.15 * random());
    const view7 = view1 + roundDown(view1 * 0.5 * random());
    const view28 = view7 + roundDown(view7 * 0.3 * random());
    const engagedView = roundDown(view1 * 0.3 * random());
    const components = [click1, click7, click28, view1, view7, view28, engagedView];
    components.forEach((count, component) => {
      v[actionSlot(actionIndex(type), component)] = count;
    });
  }
  // The pixel reports the same purchases as the unified `purchase` action, as on a pixel-only site.
  const pixel = actionIndex('offsite_conversion.fb_pixel_purchase');
  for (let component = 0; component < WINDOWS.length; component += 1) {
    v[actionSlot(pixel, component)] = v[actionSlot(actionIndex('purchase'), component)]!;
  }
  const orderValue = Math.round(
    ad.orderValueUsd * minorPerUsd(entities.account.currency) * (0.8 + 0.4 * random()),
  );

  if (day === clock.today) {
    for (let slot = 0; slot < VALUES_BASE; slot += 1) v[slot] = Math.floor((v[slot]! * clock.hour) / 24);
    if (v[SLOT.impressions] === 0) return null;
    // Spend is never zero on a day with impressions, as on Meta.
    v[SLOT.spend] = Math.max(1, v[SLOT.spend]!);
  }
  const age = clock.today - day;
  ACTION_TYPES.forEach((type, action) => {
    if (!CONVERSION_ACTIONS.has(type)) return;
    for (let component = 0; component < WINDOWS.length; component += 1) {
      const slot = actionSlot(action, component);
      v[slot] = restate(v[slot]!, age);
    }
  });
  VALUE_ACTIONS.forEach((type, valueAction) => {
    for (let component = 0; component < WINDOWS.length; component += 1) {
      v[valueSlot(valueAction, component)] = v[actionSlot(actionIndex(type), component)]! * orderValue;
    }
  });
  return v;
}

/** The default-attribution count of an action in a vector (what `actions[].value` reports). */
export function defaultCount(vector: Float64Array, action: number): number {
  let sum = 0;
  for (const component of DEFAULT_COMPONENTS) sum += vector[actionSlot(action, component)]!;
  return sum;
}
