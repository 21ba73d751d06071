/**
 * The objects under each client account: campaigns → ad groups → ads, keywords and the search terms they
 * matched (SEARCH campaigns), and Performance Max campaigns, which deliver without ad groups. Generated
 * from the customer id so they never change; built on first use and cached. Managers have none.
 */
import { parseDay } from '../../../sandbox/calendar.ts';
import { findCustomer, type SeedCustomer } from './seed.ts';
import { numericId, pick, seededRandom } from './seeded-random.ts';

/** Channel types the seed uses. */
export type Channel = 'SEARCH' | 'SHOPPING' | 'DISPLAY' | 'VIDEO' | 'PERFORMANCE_MAX';

export interface SandboxCampaign {
  id: string;
  name: string;
  status: 'ENABLED' | 'PAUSED';
  channel: Channel;
  /** `segments.ad_network_type` of its traffic. */
  network: string;
  /** First and (paused campaigns) last day it delivers, as day numbers. */
  startDay: number;
  endDay?: number | undefined;
}

export interface SandboxAdGroup {
  id: string;
  name: string;
  campaign: number;
}

export interface SandboxAd {
  id: string;
  name: string;
  type: string;
  adGroup: number;
  campaign: number;
}

export interface SandboxKeyword {
  criterionId: string;
  text: string;
  matchType: 'EXACT' | 'PHRASE' | 'BROAD';
  adGroup: number;
  /** Share of its ad group's traffic (relative weight). */
  weight: number;
}

export interface SandboxSearchTerm {
  text: string;
  status: 'ADDED' | 'EXCLUDED' | 'NONE';
  keyword: number;
  weight: number;
}

/** A delivering unit: an ad, or a Performance Max campaign as a whole. */
export interface DeliveryUnit {
  key: string;
  campaign: number;
  adGroup?: number | undefined;
  ad?: number | undefined;
  dailyImpressions: number;
  ctr: number;
  /** Cost per click (search, shopping) or per mille (display, video, PMax), in US micros. */
  priceMicrosUsd: number;
  conversionRate: number;
  /** Average conversion value, US cents. */
  valueCentsUsd: number;
}

/** Everything under one client account. */
export interface CustomerEntities {
  customer: SeedCustomer;
  campaigns: SandboxCampaign[];
  adGroups: SandboxAdGroup[];
  ads: SandboxAd[];
  keywords: SandboxKeyword[];
  searchTerms: SandboxSearchTerm[];
  units: DeliveryUnit[];
}

const channelPlan: { channel: Channel; label: string; network: string; adType: string }[] = [
  { channel: 'SEARCH', label: 'Search', network: 'SEARCH', adType: 'RESPONSIVE_SEARCH_AD' },
  { channel: 'SHOPPING', label: 'Shopping', network: 'SEARCH', adType: 'SHOPPING_PRODUCT_AD' },
  { channel: 'DISPLAY', label: 'Display', network: 'CONTENT', adType: 'RESPONSIVE_DISPLAY_AD' },
  { channel: 'VIDEO', label: 'YouTube', network: 'YOUTUBE_WATCH', adType: 'VIDEO_RESPONSIVE_AD' },
  { channel: 'PERFORMANCE_MAX', label: 'PMax', network: 'MIXED', adType: '' },
];
const themes = ['Brand', 'Generic', 'Competitors', 'Spring Sale', 'Always On', 'Remarketing', 'New Arrivals'];
const groupNames = ['Core', 'Long Tail', 'Best Sellers', 'Accessories', 'Gifts', 'Local'];
const headlines = [
  'Free Shipping',
  'Official Site',
  '20% Off Today',
  'Book Now',
  'Compare Plans',
  'New Season',
];
const nouns = ['shoes', 'coffee', 'hotel', 'bike', 'glasses', 'insurance', 'solar panels', 'yoga mat'];
const modifiers = ['buy', 'best', 'cheap', 'near me', 'online', 'sale', 'reviews', '2025'];

/** Day the seed's oldest accounts opened; each account opens within a year after it. */
const EPOCH_DAY = parseDay('2023-01-01')!;

function build(customer: SeedCustomer): CustomerEntities {
  const id = customer.id;
  const random = seededRandom(`tributary/google-ads/entities/${id}`);
  const used = new Set<string>();
  const entities: CustomerEntities = {
    customer,
    campaigns: [],
    adGroups: [],
    ads: [],
    keywords: [],
    searchTerms: [],
    units: [],
  };
  const openDay = EPOCH_DAY + Math.floor(random() * 365);
  const campaignCount = 2 + Math.floor(random() * 4);
  for (let c = 0; c < campaignCount; c += 1) {
    // The first campaign is always an enabled Search campaign, so every account has keywords and conversions.
    const plan = c === 0 ? channelPlan[0]! : pick(channelPlan, random);
    const startDay = openDay + Math.floor(random() * 60);
    const paused = c > 0 && random() < 0.2;
    entities.campaigns.push({
      id: numericId(`${id}/c${c}`, 11, used),
      name: `${pick(themes, random)} | ${plan.label} #${c + 1}`,
      status: paused ? 'PAUSED' : 'ENABLED',
      channel: plan.channel,
      network: plan.network,
      startDay,
      endDay: paused ? startDay + 200 + Math.floor(random() * 200) : undefined,
    });
    const profile = () => ({
      dailyImpressions: Math.round(300 + random() * random() * 20_000),
      ctr:
        plan.channel === 'SEARCH' || plan.channel === 'SHOPPING'
          ? 0.02 + random() * 0.08
          : 0.002 + random() * 0.01,
      priceMicrosUsd: Math.round(
        plan.channel === 'SEARCH' || plan.channel === 'SHOPPING'
          ? 400_000 + random() * 2_600_000
          : 1_500_000 + random() * 8_000_000,
      ),
      conversionRate: 0.02 + random() * 0.08,
      valueCentsUsd: Math.round(2_000 + random() * 15_000),
    });
    if (plan.channel === 'PERFORMANCE_MAX') {
      entities.units.push({ key: `c${c}`, campaign: c, ...profile() });
      continue;
    }
    const groupCount = 1 + Math.floor(random() * 3);
    for (let g = 0; g < groupCount; g += 1) {
      const adGroup = entities.adGroups.length;
      entities.adGroups.push({
        id: numericId(`${id}/c${c}/g${g}`, 12, used),
        name: `${pick(groupNames, random)} ${g + 1}`,
        campaign: c,
      });
      const adCount = 1 + Math.floor(random() * 3);
      for (let a = 0; a < adCount; a += 1) {
        const ad = entities.ads.length;
        entities.ads.push({
          id: numericId(`${id}/c${c}/g${g}/a${a}`, 12, used),
          name: `${pick(headlines, random)} — ${plan.label} ${a + 1}`,
          type: plan.adType,
          adGroup,
          campaign: c,
        });
        entities.units.push({ key: `a${ad}`, campaign: c, adGroup, ad, ...profile() });
      }
      if (plan.channel !== 'SEARCH') continue;
      const noun = pick(nouns, random);
      const keywordCount = 2 + Math.floor(random() * 3);
      for (let k = 0; k < keywordCount; k += 1) {
        const keyword = entities.keywords.length;
        entities.keywords.push({
          criterionId: numericId(`${id}/c${c}/g${g}/k${k}`, 12, used),
          text: k === 0 ? noun : `${modifiers[(k + g) % modifiers.length]} ${noun}`,
          matchType: (['EXACT', 'PHRASE', 'BROAD'] as const)[k % 3]!,
          adGroup,
          weight: 1 + Math.floor(random() * 9),
        });
        const termCount = 1 + Math.floor(random() * 3);
        for (let t = 0; t < termCount; t += 1) {
          entities.searchTerms.push({
            text: `${entities.keywords[keyword]!.text}${t === 0 ? '' : ` ${modifiers[(t * 3 + k) % modifiers.length]}`} ${g + 1}`.trim(),
            status: t === 0 ? 'ADDED' : random() < 0.1 ? 'EXCLUDED' : 'NONE',
            keyword,
            weight: 1 + Math.floor(random() * 9),
          });
        }
      }
    }
  }
  return entities;
}

const cache = new Map<string, CustomerEntities>();

/** The objects of a client account (built on first use, then cached); undefined for unknown ids and managers. */
export function entitiesOf(customerId: string): CustomerEntities | undefined {
  const cached = cache.get(customerId);
  if (cached) return cached;
  const customer = findCustomer(customerId);
  if (!customer || customer.manager) return undefined;
  const entities = build(customer);
  cache.set(customerId, entities);
  return entities;
}
