/**
 * The objects under each advertiser: campaigns → ad groups → ads, generated from the advertiser id so
 * they never change. Built on first use and cached.
 */
import { localDayOf } from '../../../sandbox/calendar.ts';
import { numericId, seededRandom } from './hash.ts';
import { findAdvertiser, type SeedAdvertiser, type SeedUser } from './seed.ts';

/** TikTok campaign objectives the sandbox uses (`objective_type`). */
export type Objective = 'TRAFFIC' | 'WEB_CONVERSIONS' | 'VIDEO_VIEWS' | 'REACH';

export interface SandboxCampaign {
  id: string;
  name: string;
  objective: Objective;
}

export interface SandboxAdGroup {
  id: string;
  name: string;
  campaign: number;
}

export interface SandboxAd {
  id: string;
  name: string;
  text: string;
  campaign: number;
  adgroup: number;
  /** Typical daily impressions, click-through rate and cost per mille (in US dollars). */
  dailyImpressions: number;
  ctr: number;
  cpmUsd: number;
  /** Share of clicks that convert (pixel events). */
  conversionRate: number;
  /** First day (advertiser-local day number) the ad delivers. */
  startDay: number;
}

/** Everything under one advertiser. */
export interface AdvertiserEntities {
  advertiser: SeedAdvertiser;
  owner: SeedUser;
  campaigns: SandboxCampaign[];
  adgroups: SandboxAdGroup[];
  ads: SandboxAd[];
}

const objectives: { objective: Objective; label: string }[] = [
  { objective: 'WEB_CONVERSIONS', label: 'Conversions' },
  { objective: 'TRAFFIC', label: 'Traffic' },
  { objective: 'VIDEO_VIEWS', label: 'Video Views' },
  { objective: 'REACH', label: 'Reach' },
];
const themes = ['Spring Launch', 'Evergreen', 'Summer Sale', 'Black Friday', 'Always On', 'New Arrivals'];
const audiences = ['Broad', 'Lookalike', 'Retargeting 30d', 'Interests', 'Smart Targeting'];
const formats = ['In-Feed 15s', 'Spark Ad', 'In-Feed 30s', 'TopView', 'Carousel'];
const hooks = ['Hook A', 'Creator UGC', 'Product Demo', 'Offer 20% Off', 'Duet Remix', 'Trend Sound'];

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)]!;
}

function build(owner: SeedUser, advertiser: SeedAdvertiser): AdvertiserEntities {
  const id = advertiser.advertiserId;
  const random = seededRandom(`tributary/tiktok-ads/entities/${id}`);
  const used = new Set<string>();
  const createdDay = localDayOf(advertiser.createTime, advertiser.timezone);
  const campaigns: SandboxCampaign[] = [];
  const adgroups: SandboxAdGroup[] = [];
  const ads: SandboxAd[] = [];
  const campaignCount = 2 + Math.floor(random() * 3);
  for (let c = 0; c < campaignCount; c += 1) {
    // The first campaign always optimises for conversions, so every advertiser reports some.
    const objective = c === 0 ? objectives[0]! : pick(objectives, random);
    campaigns.push({
      id: numericId(`${id}/c${c}`, '17', used),
      name: `${pick(themes, random)} - ${objective.label} ${c + 1}`,
      objective: objective.objective,
    });
    const campaignStart = createdDay + Math.floor(random() * 30);
    const groupCount = 1 + Math.floor(random() * 3);
    for (let g = 0; g < groupCount; g += 1) {
      const groupIndex = adgroups.length;
      adgroups.push({
        id: numericId(`${id}/c${c}/g${g}`, '17', used),
        name: `${pick(audiences, random)} ${g + 1}`,
        campaign: c,
      });
      const adCount = 1 + Math.floor(random() * 3);
      for (let a = 0; a < adCount; a += 1) {
        ads.push({
          id: numericId(`${id}/c${c}/g${g}/a${a}`, '17', used),
          name: `${pick(formats, random)} - ${pick(hooks, random)}`,
          text: `${pick(hooks, random)} — shop now`,
          campaign: c,
          adgroup: groupIndex,
          dailyImpressions: Math.round(500 + random() * random() * 30_000),
          ctr: 0.004 + random() * 0.02,
          cpmUsd: 3 + random() * 9,
          conversionRate:
            objective.objective === 'WEB_CONVERSIONS' ? 0.02 + random() * 0.06 : random() * 0.01,
          startDay: campaignStart + Math.floor(random() * 5),
        });
      }
    }
  }
  return { advertiser, owner, campaigns, adgroups, ads };
}

const cache = new Map<string, AdvertiserEntities>();

/** The objects of an advertiser (built on first use, then cached), or undefined for an unknown id. */
export function entitiesOf(advertiserId: string): AdvertiserEntities | undefined {
  const cached = cache.get(advertiserId);
  if (cached) return cached;
  const found = findAdvertiser(advertiserId);
  if (!found) return undefined;
  const entities = build(found.owner, found.advertiser);
  cache.set(advertiserId, entities);
  return entities;
}
