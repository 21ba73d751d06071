/**
 * The generated ground truth of a property: for each property-local day a fixed set of traffic cells (one per
 * source/medium/campaign × country × device × landing page that had sessions), each a vector of integers. A
 * report is a sum of cells, and `truth()` is the same sum, so sessions, views, events, key events and revenue add
 * up across any breakdown. User counts are summed per cell too (a documented sandbox simplification: real GA4
 * counts distinct users, which do not add up).
 *
 * Time behaviour, as of the property-local date `today` and hour `h` of the virtual clock:
 * - days after `today` (and before the property was created) have no data; `today` is partial: every slot is
 *   `floor((full × h + o) / 24)` with a fixed per-cell offset `0 ≤ o < 24` (full at `h = 24`, never shrinking);
 * - key events arrive late (events processing): each key event of a cell has a fixed delay of 0 to
 *   {@link RESTATEMENT_DAYS} days, and a day `age = today − day` days old shows those with delay ≤ age, so its
 *   `keyEvents`, `purchaseRevenue` (purchases × order value) and `totalRevenue` grow for 3 days, then stay final;
 * - everything else is final once the day is over.
 */
import { type LocalClock, parseDay, weekday } from '../../../sandbox/calendar.ts';
import { RESTATEMENT_DAYS } from './constants.ts';
import { seededRandom } from './hash.ts';
import type { SeedProperty } from './seed.ts';

/** Slots of a cell vector. Events come last, one slot per event name, then one key-event slot per key event. */
export const SLOT = {
  sessions: 0,
  engagedSessions: 1,
  activeUsers: 2,
  newUsers: 3,
  totalUsers: 4,
  screenPageViews: 5,
  sessionSeconds: 6,
  engagementSeconds: 7,
  /** Minor units of the property currency (cents; yen for JPY). */
  purchaseRevenue: 8,
  /** Purchase revenue plus advertising revenue, minor units. */
  totalRevenue: 9,
} as const;

/** The event names a cell logs, each with its count slot. */
export const EVENT_NAMES = [
  'session_start',
  'first_visit',
  'page_view',
  'user_engagement',
  'scroll',
  'generate_lead',
  'purchase',
] as const;
/** One of {@link EVENT_NAMES}. */
export type EventName = (typeof EVENT_NAMES)[number];

/** Key events (formerly conversions) and their slots. */
export const KEY_EVENTS: readonly EventName[] = ['generate_lead', 'purchase'];

/** First slot of the event counts (one per {@link EVENT_NAMES} entry). */
export const EVENT_SLOT_BASE = 10;
/** First slot of the key-event counts (one per {@link KEY_EVENTS} entry). */
export const KEY_SLOT_BASE = EVENT_SLOT_BASE + EVENT_NAMES.length;
/** Length of a cell vector. */
export const VECTOR_LENGTH = KEY_SLOT_BASE + KEY_EVENTS.length;

/** The session-scoped dimensions of a cell (everything but `date` and `eventName`). */
export interface CellDimensions {
  sessionSource: string;
  sessionMedium: string;
  sessionCampaignName: string;
  sessionDefaultChannelGroup: string;
  country: string;
  deviceCategory: string;
  landingPage: string;
}

/** One traffic cell of one day. */
export interface TrafficCell {
  dimensions: CellDimensions;
  /** Final values (today: the full day). */
  values: Float64Array;
  /** Per key event, how many have arrived at age 0, 1 and 2 (`[k0a0, k0a1, k0a2, k1a0, …]`). */
  arrivals: number[];
  /** Revenue of one purchase and the advertising revenue of the cell, minor units. */
  orderValue: number;
  adRevenue: number;
  /** A fixed offset in [0, 24) that spreads today's rounding, so small counts do not all floor to 0. */
  hourOffset: number;
}

/** Share of key events that arrive with a delay of 0, 1, 2 and 3 days. */
const DELAY_SHARES = [0.6, 0.2, 0.12, 0.08];

/** How many of `count` key events have arrived at ages 0, 1, 2 (each draws its delay from `random`). */
function arrivalsOf(count: number, random: () => number): number[] {
  const arrived = [0, 0, 0];
  for (let unit = 0; unit < count; unit += 1) {
    let draw = random();
    let delay = 0;
    while (delay < DELAY_SHARES.length - 1 && draw >= DELAY_SHARES[delay]!) {
      draw -= DELAY_SHARES[delay]!;
      delay += 1;
    }
    for (let age = delay; age < arrived.length; age += 1) arrived[age]! += 1;
  }
  return arrived;
}

const sources = [
  {
    source: 'google',
    medium: 'organic',
    campaign: '(organic)',
    channel: 'Organic Search',
    share: 0.38,
    leads: 1,
  },
  { source: '(direct)', medium: '(none)', campaign: '(direct)', channel: 'Direct', share: 0.24, leads: 1.2 },
  {
    source: 'google',
    medium: 'cpc',
    campaign: 'spring_sale',
    channel: 'Paid Search',
    share: 0.14,
    leads: 1.6,
  },
  {
    source: 'facebook.com',
    medium: 'referral',
    campaign: '(referral)',
    channel: 'Organic Social',
    share: 0.1,
    leads: 0.6,
  },
  {
    source: 'newsletter',
    medium: 'email',
    campaign: 'weekly_digest',
    channel: 'Email',
    share: 0.08,
    leads: 2,
  },
  {
    source: 'bing',
    medium: 'organic',
    campaign: '(organic)',
    channel: 'Organic Search',
    share: 0.06,
    leads: 1,
  },
] as const;

const otherCountries = ['United States', 'Germany', 'United Kingdom', 'France', 'India', 'Brazil'];
const webPages = [
  { path: '/', share: 0.45 },
  { path: '/pricing', share: 0.2 },
  { path: '/blog/getting-started', share: 0.18 },
  { path: '/contact', share: 0.1 },
  { path: '/shop/gift-cards', share: 0.07 },
];
const devices = { web: { desktop: 0.52, mobile: 0.42, tablet: 0.06 }, app: { mobile: 0.86, tablet: 0.14 } };

function countriesOf(property: SeedProperty): { name: string; share: number }[] {
  const others = otherCountries.filter((name) => name !== property.homeCountry).slice(0, 3);
  return [
    { name: property.homeCountry, share: 0.7 },
    ...others.map((name, index) => ({ name, share: [0.14, 0.1, 0.06][index]! })),
  ];
}

/** Mean order value in minor units, by currency (JPY has no minor unit). */
function orderValueMinor(currency: string, random: () => number): number {
  const units = 35 + 90 * random();
  return currency === 'JPY' ? Math.round(units * 150) : Math.round(units * 100);
}

function buildCells(property: SeedProperty, day: number): TrafficCell[] {
  const created = parseDay(property.createTime.slice(0, 10)) ?? 0;
  if (day < created) return [];
  const random = seededRandom(`tributary/ga4/traffic/${property.propertyId}/${day}`);
  const dayFactor = (weekday(day) % 6 === 0 ? 0.8 : 1.05) * (1 + 0.15 * Math.sin(day / 17));
  const pages = property.platform === 'app' ? [{ path: '(not set)', share: 1 }] : webPages;
  const cells: TrafficCell[] = [];
  // Every draw happens unconditionally and in a fixed order, so a day's final numbers never depend on the clock.
  for (const source of sources) {
    for (const country of countriesOf(property)) {
      for (const [device, deviceShare] of Object.entries(devices[property.platform])) {
        for (const page of pages) {
          const expected =
            property.dailySessions * dayFactor * source.share * country.share * deviceShare * page.share;
          const draws = Array.from({ length: 14 }, () => random());
          const sessions = Math.floor(expected * (0.5 + draws[0]!) + draws[1]!);
          if (sessions <= 0) continue;
          const v = new Float64Array(VECTOR_LENGTH);
          v[SLOT.sessions] = sessions;
          v[SLOT.engagedSessions] = Math.floor(sessions * (0.45 + 0.35 * draws[2]!));
          v[SLOT.totalUsers] = Math.max(1, Math.floor(sessions * (0.72 + 0.2 * draws[3]!)));
          v[SLOT.activeUsers] = Math.max(1, Math.floor(v[SLOT.totalUsers]! * (0.9 + 0.1 * draws[4]!)));
          v[SLOT.newUsers] = Math.floor(v[SLOT.totalUsers]! * (0.25 + 0.45 * draws[5]!));
          v[SLOT.screenPageViews] = Math.floor(sessions * (1.4 + 2.6 * draws[6]!));
          v[SLOT.sessionSeconds] = Math.floor(sessions * (45 + 260 * draws[7]!));
          v[SLOT.engagementSeconds] = Math.floor(v[SLOT.sessionSeconds]! * (0.35 + 0.3 * draws[8]!));
          const events: Record<EventName, number> = {
            session_start: sessions,
            first_visit: v[SLOT.newUsers]!,
            page_view: v[SLOT.screenPageViews]!,
            user_engagement: v[SLOT.engagedSessions]! + Math.floor(sessions * 0.4 * draws[9]!),
            scroll: Math.floor(v[SLOT.screenPageViews]! * (0.15 + 0.3 * draws[10]!)),
            // Stochastic rounding keeps small cells' expected key events right instead of flooring them to 0.
            generate_lead: Math.floor(sessions * 0.04 * source.leads + draws[11]!),
            purchase: Math.floor(sessions * 0.025 * source.leads + draws[12]!),
          };
          EVENT_NAMES.forEach((name, index) => {
            v[EVENT_SLOT_BASE + index] = events[name];
          });
          KEY_EVENTS.forEach((name, index) => {
            v[KEY_SLOT_BASE + index] = events[name];
          });
          const orderValue = orderValueMinor(property.currencyCode, () => draws[13]!);
          const adRevenue = Math.floor(v[SLOT.screenPageViews]! * 0.4 * draws[13]!);
          v[SLOT.purchaseRevenue] = events.purchase * orderValue;
          v[SLOT.totalRevenue] = v[SLOT.purchaseRevenue]! + adRevenue;
          // A generator of its own, so the delays never shift the draws of the cells after this one.
          const late = seededRandom(`tributary/ga4/late/${property.propertyId}/${day}/${cells.length}`);
          const hourOffset = Math.floor(late() * 24);
          const arrivals = KEY_EVENTS.flatMap((name) => arrivalsOf(events[name], late));
          cells.push({
            dimensions: {
              sessionSource: source.source,
              sessionMedium: source.medium,
              sessionCampaignName: source.campaign,
              sessionDefaultChannelGroup: source.channel,
              country: country.name,
              deviceCategory: device,
              landingPage: page.path,
            },
            values: v,
            arrivals,
            orderValue,
            adRevenue,
            hourOffset,
          });
        }
      }
    }
  }
  return cells;
}

/** Final cells are pure functions of (property, day); a bounded cache spares regenerating them per page. */
const finalCells = new Map<string, TrafficCell[]>();
const CACHE_LIMIT = 4000;

function cachedCells(property: SeedProperty, day: number): TrafficCell[] {
  const key = `${property.propertyId}/${day}`;
  let cells = finalCells.get(key);
  if (!cells) {
    cells = buildCells(property, day);
    if (finalCells.size >= CACHE_LIMIT) finalCells.clear();
    finalCells.set(key, cells);
  }
  return cells;
}

/** The property's cells for one local day as of `clock` (fresh vectors: callers may add into them). */
export function dayCells(property: SeedProperty, day: number, clock: LocalClock): TrafficCell[] {
  if (day > clock.today) return [];
  const age = clock.today - day;
  return cachedCells(property, day).map((cell) => {
    const partial = (value: number) =>
      age === 0 ? Math.floor((value * clock.hour + cell.hourOffset) / 24) : value;
    const values = new Float64Array(VECTOR_LENGTH);
    for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) values[slot] = partial(cell.values[slot]!);
    if (age < RESTATEMENT_DAYS) {
      KEY_EVENTS.forEach((_, index) => {
        values[KEY_SLOT_BASE + index] = partial(cell.arrivals[index * RESTATEMENT_DAYS + age]!);
      });
      values[SLOT.purchaseRevenue] =
        values[KEY_SLOT_BASE + KEY_EVENTS.indexOf('purchase')]! * cell.orderValue;
      values[SLOT.totalRevenue] = values[SLOT.purchaseRevenue]! + partial(cell.adRevenue);
    }
    return { ...cell, values };
  });
}
