/**
 * The objects under each ad account: campaign groups → campaigns → creatives, generated from the account
 * id so they never change. Built on first use and cached, so the 1,200 agency accounts cost nothing until
 * one of them is read.
 */
import { hash32, numericId, seededRandom } from './hash.ts';
import { findAccount, type SeedAccount, type SeedUser } from './seed.ts';

const DAY_MS = 86_400_000;

/** A campaign group (`adCampaignGroups`). */
export interface SandboxCampaignGroup {
  id: number;
  name: string;
  status: 'ACTIVE' | 'PAUSED' | 'ARCHIVED';
  /** Epoch ms the group's run schedule starts. */
  start: number;
}

/** A campaign (`adCampaigns`). */
export interface SandboxCampaign {
  id: number;
  name: string;
  group: number;
  status: 'ACTIVE' | 'PAUSED' | 'COMPLETED';
  costType: 'CPM' | 'CPC';
  type: 'SPONSORED_UPDATES' | 'TEXT_AD';
  objectiveType: 'WEBSITE_CONVERSION' | 'WEBSITE_VISIT' | 'BRAND_AWARENESS' | 'LEAD_GENERATION';
  /** Bid in account currency, as LinkedIn's decimal string. */
  unitCost: string;
  start: number;
}

/** A creative (`creatives`) with the parameters its delivery is drawn from. */
export interface SandboxCreative {
  id: number;
  name: string;
  campaign: number;
  /** Typical daily impressions, click-through rate, cost per mille (account currency). */
  dailyImpressions: number;
  ctr: number;
  cpm: number;
  /** Share of clicks that convert on the website. */
  conversionRate: number;
  /** First UTC day number the creative delivers. */
  startDay: number;
  /** Delivers every day from its start (the high-volume account's creatives). */
  alwaysOn: boolean;
}

/** Everything under one account. */
export interface AccountEntities {
  account: SeedAccount;
  owner: SeedUser;
  groups: SandboxCampaignGroup[];
  campaigns: SandboxCampaign[];
  creatives: SandboxCreative[];
}

const themes = ['Thought Leadership', 'Product Launch', 'Hiring', 'Webinar', 'Always On', 'ABM Tier 1'];
const objectives = [
  'WEBSITE_CONVERSION',
  'WEBSITE_VISIT',
  'BRAND_AWARENESS',
  'LEAD_GENERATION',
] as const satisfies readonly SandboxCampaign['objectiveType'][];
const audiences = ['IT Decision Makers', 'HR Leaders', 'Finance Directors', 'Lookalike', 'Retargeting'];
const formats = ['Single Image', 'Carousel', 'Video 30s', 'Document Ad', 'Text Ad'];

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)]!;
}

function build(owner: SeedUser, account: SeedAccount): AccountEntities {
  const random = seededRandom(`tributary/linkedin-ads/entities/${account.id}`);
  const used = new Set<number>();
  const accountDay = Math.floor(account.createdAt / DAY_MS);
  const wanted = account.creatives;
  const groupCount = wanted ? 4 : 1 + Math.floor(random() * 2);
  const campaignsPerGroup = wanted ? 5 : 1 + Math.floor(random() * 2);
  const groups: SandboxCampaignGroup[] = [];
  const campaigns: SandboxCampaign[] = [];
  const creatives: SandboxCreative[] = [];
  for (let g = 0; g < groupCount; g += 1) {
    const groupStart = accountDay + Math.floor(random() * 30);
    groups.push({
      id: numericId(`${account.id}/g${g}`, 6, used),
      name: `${pick(themes, random)} ${2024 + (g % 2)} — ${g + 1}`,
      status:
        g === 0 || wanted ? 'ACTIVE' : pick(['ACTIVE', 'ACTIVE', 'PAUSED', 'ARCHIVED'] as const, random),
      start: groupStart * DAY_MS,
    });
    for (let c = 0; c < campaignsPerGroup; c += 1) {
      // The first campaign optimises for conversions, so every account reports some.
      const objectiveType = campaigns.length === 0 ? objectives[0] : pick(objectives, random);
      const costType = random() < 0.5 ? 'CPM' : 'CPC';
      campaigns.push({
        id: numericId(`${account.id}/g${g}/c${c}`, 7, used),
        name: `${pick(audiences, random)} — ${objectiveType.toLowerCase().replace('_', ' ')} ${campaigns.length + 1}`,
        group: g,
        status: c === 0 || wanted ? 'ACTIVE' : pick(['ACTIVE', 'PAUSED', 'COMPLETED'] as const, random),
        costType,
        type: random() < 0.85 ? 'SPONSORED_UPDATES' : 'TEXT_AD',
        objectiveType,
        unitCost: (costType === 'CPM' ? 20 + random() * 30 : 4 + random() * 8).toFixed(2),
        start: (groupStart + Math.floor(random() * 5)) * DAY_MS,
      });
    }
  }
  const creativeCount = wanted ?? campaigns.length * (1 + Math.floor(random() * 3));
  for (let index = 0; index < creativeCount; index += 1) {
    const campaign = index % campaigns.length;
    const objective = campaigns[campaign]!.objectiveType;
    creatives.push({
      id: numericId(`${account.id}/cr${index}`, 8, used),
      name: `${pick(formats, random)} — ${pick(themes, random)} #${index + 1}`,
      campaign,
      dailyImpressions: wanted
        ? 200 + Math.round(random() * 800)
        : Math.round(300 + random() * random() * 12_000),
      ctr: 0.003 + random() * 0.008,
      cpm: 25 + random() * 40,
      conversionRate: objective === 'WEBSITE_CONVERSION' ? 0.03 + random() * 0.07 : random() * 0.015,
      startDay: Math.floor(campaigns[campaign]!.start / DAY_MS) + Math.floor(random() * 4),
      alwaysOn: wanted !== undefined,
    });
  }
  return { account, owner, groups, campaigns, creatives };
}

const cache = new Map<number, AccountEntities>();

/** The objects of an account (built on first use, then cached), or undefined for an unknown id. */
export function entitiesOf(accountId: number): AccountEntities | undefined {
  const cached = cache.get(accountId);
  if (cached) return cached;
  const found = findAccount(accountId);
  if (!found) return undefined;
  const entities = build(found.owner, found.account);
  cache.set(accountId, entities);
  return entities;
}

/** The account and entity index of an id of the given kind, across every account (for facets). */
export function locateEntity(
  kind: 'group' | 'campaign' | 'creative',
  id: number,
  scope: Iterable<AccountEntities>,
): { entities: AccountEntities; index: number } | undefined {
  for (const entities of scope) {
    const list =
      kind === 'group' ? entities.groups : kind === 'campaign' ? entities.campaigns : entities.creatives;
    const index = list.findIndex((item) => item.id === id);
    if (index >= 0) return { entities, index };
  }
  return undefined;
}

/** A stable pseudo-number for cosmetic fields (share ids, version tags) of an entity. */
export function cosmeticNumber(label: string): number {
  return hash32(`tributary/linkedin-ads/cosmetic/${label}`);
}
