/**
 * Entities as LinkedIn's `/rest` finders send them: ids as JSON numbers (longs) for accounts, campaign
 * groups and campaigns, but a URN string for creatives; references between them as URNs; money as
 * `{amount: "<decimal string>", currencyCode}`; instants as epoch milliseconds.
 */
import { type AccountEntities, cosmeticNumber } from './entities.ts';
import type { SeedAccount } from './seed.ts';

/** `urn:li:sponsoredAccount:<id>`. */
export const accountUrn = (id: number) => `urn:li:sponsoredAccount:${id}`;
/** `urn:li:sponsoredCampaignGroup:<id>`. */
export const groupUrn = (id: number) => `urn:li:sponsoredCampaignGroup:${id}`;
/** `urn:li:sponsoredCampaign:<id>`. */
export const campaignUrn = (id: number) => `urn:li:sponsoredCampaign:${id}`;
/** `urn:li:sponsoredCreative:<id>`. */
export const creativeUrn = (id: number) => `urn:li:sponsoredCreative:${id}`;

function auditStamps(created: number, label: string) {
  return {
    created: { time: created },
    lastModified: { time: created + (cosmeticNumber(label) % 300) * 86_400_000 },
  };
}

/** An ad account element (`adAccounts` search and get). */
export function accountElement(account: SeedAccount): Record<string, unknown> {
  const running = account.status === 'ACTIVE';
  return {
    test: false,
    notifiedOnCreativeRejection: true,
    notifiedOnNewFeaturesEnabled: false,
    notifiedOnEndOfCampaign: true,
    servingStatuses: running ? ['RUNNABLE'] : ['STOPPED'],
    notifiedOnCampaignOptimization: false,
    type: account.type,
    version: { versionTag: String((cosmeticNumber(`account/${account.id}`) % 20) + 1) },
    reference: account.reference,
    notifiedOnCreativeApproval: false,
    changeAuditStamps: auditStamps(account.createdAt, `account/${account.id}`),
    name: account.name,
    currency: account.currency,
    id: account.id,
    status: account.status,
  };
}

/** A campaign group element. */
export function groupElement(entities: AccountEntities, index: number): Record<string, unknown> {
  const group = entities.groups[index]!;
  return {
    runSchedule: { start: group.start },
    test: false,
    changeAuditStamps: auditStamps(group.start, `group/${group.id}`),
    name: group.name,
    servingStatuses: group.status === 'ACTIVE' ? ['RUNNABLE'] : ['CAMPAIGN_GROUP_STATUS_HOLD'],
    backfilled: false,
    id: group.id,
    account: accountUrn(entities.account.id),
    status: group.status,
  };
}

/** A campaign element. */
export function campaignElement(entities: AccountEntities, index: number): Record<string, unknown> {
  const campaign = entities.campaigns[index]!;
  const currencyCode = entities.account.currency;
  return {
    test: false,
    storyDeliveryEnabled: false,
    campaignGroup: groupUrn(entities.groups[campaign.group]!.id),
    costType: campaign.costType,
    creativeSelection: 'OPTIMIZED',
    dailyBudget: { amount: String(50 + (cosmeticNumber(`budget/${campaign.id}`) % 20) * 25), currencyCode },
    offsiteDeliveryEnabled: false,
    objectiveType: campaign.objectiveType,
    optimizationTargetType: campaign.costType === 'CPM' ? 'MAX_IMPRESSION' : 'MAX_CLICK',
    runSchedule: { start: campaign.start },
    changeAuditStamps: auditStamps(campaign.start, `campaign/${campaign.id}`),
    format: campaign.type === 'TEXT_AD' ? 'TEXT_AD' : 'STANDARD_UPDATE',
    unitCost: { amount: campaign.unitCost, currencyCode },
    name: campaign.name,
    servingStatuses: campaign.status === 'ACTIVE' ? ['RUNNABLE'] : ['CAMPAIGN_STATUS_HOLD'],
    locale: { country: 'US', language: 'en' },
    id: campaign.id,
    type: campaign.type,
    version: { versionTag: String((cosmeticNumber(`campaign/${campaign.id}`) % 9) + 1) },
    account: accountUrn(entities.account.id),
    status: campaign.status,
    pacingStrategy: 'LIFETIME',
    audienceExpansionEnabled: false,
  };
}

/** A creative element (`creatives` criteria finder): its `id` is a URN string. */
export function creativeElement(entities: AccountEntities, index: number): Record<string, unknown> {
  const creative = entities.creatives[index]!;
  const campaign = entities.campaigns[creative.campaign]!;
  const created = creative.startDay * 86_400_000 - 3_600_000;
  const author = `urn:li:person:${entities.owner.sub}`;
  return {
    account: accountUrn(entities.account.id),
    campaign: campaignUrn(campaign.id),
    content: {
      reference: `urn:li:share:${7_000_000_000_000_000_000n + BigInt(cosmeticNumber(`share/${creative.id}`))}`,
    },
    createdAt: created,
    createdBy: author,
    id: creativeUrn(creative.id),
    intendedStatus: campaign.status === 'ACTIVE' ? 'ACTIVE' : 'PAUSED',
    isServing: campaign.status === 'ACTIVE',
    isTest: false,
    lastModifiedAt: created + (cosmeticNumber(`modified/${creative.id}`) % 30) * 86_400_000,
    lastModifiedBy: author,
    name: creative.name,
  };
}
