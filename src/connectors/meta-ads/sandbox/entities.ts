/**
 * The campaigns, ad sets and ads behind every seeded ad account. They are derived from the account id
 * alone (no stored state, no Math.random) and built on first use only: the agency user has 1,200
 * accounts and most runs touch a handful.
 */
import { localDayOf } from '../../../sandbox/calendar.ts';
import { hash53, seededRandom } from './hash.ts';
import { type SeedAdAccount, type SeedUser, seedUsers } from './seed.ts';

/** A campaign (Meta's "campaign group"). */
export interface SandboxCampaign {
  id: string;
  name: string;
  objective: string;
  buyingType: 'AUCTION';
}

/** An ad set under a campaign. */
export interface SandboxAdSet {
  id: string;
  name: string;
  campaign: number;
  optimizationGoal: string;
}

/** An ad, with the traits its daily delivery is generated from. */
export interface SandboxAd {
  id: string;
  name: string;
  campaign: number;
  adset: number;
  /** Typical impressions on a full day. */
  dailyImpressions: number;
  /** Typical click-through rate (fraction, not percent). */
  ctr: number;
  /** Typical cost per mille, in US dollars (converted to the account currency when used). */
  cpmUsd: number;
  /** Average purchase value, in US dollars. */
  orderValueUsd: number;
  /** First account-local day the ad delivers. */
  startDay: number;
}

/** One account's full entity tree, in Meta's reporting order (campaign, then ad set, then ad). */
export interface AccountEntities {
  account: SeedAdAccount;
  owner: SeedUser;
  campaigns: SandboxCampaign[];
  adsets: SandboxAdSet[];
  ads: SandboxAd[];
}

/** Objectives use Meta's ODAX names (v17+), each with the optimisation goal its ad sets usually have. */
const objectives = [
  { objective: 'OUTCOME_SALES', goal: 'OFFSITE_CONVERSIONS', label: 'Sales' },
  { objective: 'OUTCOME_TRAFFIC', goal: 'LANDING_PAGE_VIEWS', label: 'Traffic' },
  { objective: 'OUTCOME_LEADS', goal: 'LEAD_GENERATION', label: 'Leads' },
  { objective: 'OUTCOME_AWARENESS', goal: 'REACH', label: 'Awareness' },
  { objective: 'OUTCOME_ENGAGEMENT', goal: 'POST_ENGAGEMENT', label: 'Engagement' },
] as const;

const themes = ['Spring Launch', 'Evergreen', 'Summer Sale', 'Black Friday', 'Always On', 'New Arrivals'];
const audiences = ['Broad', 'Lookalike 1%', 'Retargeting 30d', 'Interests', 'Advantage+ Audience'];
const ageBands = ['18-34', '25-44', '25-54', '35-65+'];
const formats = ['Single Image', 'Carousel', 'Video 15s', 'Reel', 'Collection'];
const creatives = ['Hero Shot', 'Testimonial', 'Product Demo', 'Offer 20% Off', 'Lifestyle', 'UGC Review'];

/** Objective of a campaign: the first is always Sales, so every account has purchases to report. */
function objectiveOf(accountId: string, index: number) {
  if (index === 0) return objectives[0];
  return objectives[hash53(`${accountId}/objective/${index}`) % objectives.length]!;
}

/** 18-digit ids in the shape of Meta's current object ids (`1202…`), unique within the account. */
function idMinter(accountId: string): (path: string) => string {
  const used = new Set<string>();
  return (path) => {
    for (let attempt = 0; ; attempt += 1) {
      const id = `12021${String(hash53(`${accountId}/${path}/${attempt}`) % 1e13).padStart(13, '0')}`;
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
}

function pick<T>(list: readonly T[], random: () => number): T {
  return list[Math.floor(random() * list.length)]!;
}

function buildEntities(owner: SeedUser, account: SeedAdAccount): AccountEntities {
  const random = seededRandom(`tributary/meta-ads/entities/${account.accountId}`);
  const mint = idMinter(account.accountId);
  const createdDay = localDayOf(account.createdTime, account.timezoneName);
  const campaigns: SandboxCampaign[] = [];
  const adsets: SandboxAdSet[] = [];
  const ads: SandboxAd[] = [];
  const campaignCount = 2 + Math.floor(random() * 3);
  for (let c = 0; c < campaignCount; c += 1) {
    const objective = objectiveOf(account.accountId, c);
    campaigns.push({
      id: mint(`c${c}`),
      name: `${pick(themes, random)} - ${objective.label} ${c + 1}`,
      objective: objective.objective,
      buyingType: 'AUCTION',
    });
    // Campaigns start within a month of the account's creation, so old accounts have full history.
    const campaignStart = createdDay + Math.floor(random() * 30);
    const adsetCount = 1 + Math.floor(random() * 3);
    for (let s = 0; s < adsetCount; s += 1) {
      const adsetIndex = adsets.length;
      adsets.push({
        id: mint(`c${c}/s${s}`),
        name: `${pick(audiences, random)} ${pick(ageBands, random)}`,
        campaign: c,
        optimizationGoal: objective.goal,
      });
      const adCount = 1 + Math.floor(random() * 3);
      for (let a = 0; a < adCount; a += 1) {
        ads.push({
          id: mint(`c${c}/s${s}/a${a}`),
          name: `${pick(formats, random)} - ${pick(creatives, random)}`,
          campaign: c,
          adset: adsetIndex,
          dailyImpressions: Math.round(400 + random() * random() * 24_000),
          ctr: 0.005 + random() * 0.025,
          cpmUsd: 4 + random() * 16,
          orderValueUsd: 25 + random() * 125,
          startDay: campaignStart + Math.floor(random() * 5),
        });
      }
    }
  }
  return { account, owner, campaigns, adsets, ads };
}

let accountIndex: Map<string, { owner: SeedUser; account: SeedAdAccount }> | undefined;
const entityCache = new Map<string, AccountEntities>();

/** The seeded account with this bare id, with its owner; undefined when there is none. */
export function findAccount(accountId: string): { owner: SeedUser; account: SeedAdAccount } | undefined {
  if (!accountIndex) {
    accountIndex = new Map();
    for (const owner of seedUsers) {
      for (const account of owner.accounts) accountIndex.set(account.accountId, { owner, account });
    }
  }
  return accountIndex.get(accountId);
}

/** The entity tree of an account (built on first use, then cached: it never changes). */
export function entitiesOf(accountId: string): AccountEntities | undefined {
  const cached = entityCache.get(accountId);
  if (cached) return cached;
  const found = findAccount(accountId);
  if (!found) return undefined;
  const entities = buildEntities(found.owner, found.account);
  entityCache.set(accountId, entities);
  return entities;
}
