/**
 * The entity finders of one ad account, read for the names `adAnalytics` leaves out (it returns URNs only) and to
 * count the entities a report may return per day: `adAccounts/{id}/adCampaignGroups?q=search`,
 * `adAccounts/{id}/adCampaigns?q=search` and `adAccounts/{id}/creatives?q=criteria`, cursor-paged. Campaign and
 * group ids are longs; creative ids are `urn:li:sponsoredCreative:…` URNs; parents are URNs.
 */
import type { ConnectorEnvironment, ReadHooks } from '../kit/types.ts';
import { finderPages } from './cursor-paging.ts';
import { type LinkedInSettings, malformed } from './rest-api.ts';
import { idOf } from './restli.ts';
import type { EntityKind } from './templates.ts';

/** What a row can show about one campaign group, campaign or creative. */
export interface EntityInfo {
  id: string;
  name: string | null;
  status: string | null;
  /** Campaigns: `type` and `costType`. */
  type: string | null;
  costType: string | null;
  /** A campaign's group, a creative's campaign (the number of the URN). */
  parentId: string | null;
}

/** How each finder is called. */
const FINDERS: Readonly<Record<EntityKind, { path: string; q: string; pageSize: number; parent: string }>> = {
  campaignGroup: { path: 'adCampaignGroups', q: 'search', pageSize: 1000, parent: '' },
  campaign: { path: 'adCampaigns', q: 'search', pageSize: 1000, parent: 'campaignGroup' },
  // The creatives finder pages at most 100 at a time.
  creative: { path: 'creatives', q: 'criteria', pageSize: 100, parent: 'campaign' },
};

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** One finder element as an {@link EntityInfo}. */
export function parseEntity(kind: EntityKind, element: Record<string, unknown>, label: string): EntityInfo {
  const id = idOf(element.id);
  if (id === null) throw malformed(label, `a ${kind} without an id`);
  const parent = FINDERS[kind].parent;
  return {
    id,
    name: text(element.name),
    // Creatives carry `intendedStatus` (what the advertiser set); the other entities `status`.
    status: text(element.status) ?? text(element.intendedStatus),
    type: text(element.type),
    costType: text(element.costType),
    parentId: parent === '' ? null : idOf(element[parent]),
  };
}

/** Reads every entity of one kind in an account, by id. Each page is one provider call, counted by `hooks`. */
export async function readEntities(
  environment: ConnectorEnvironment,
  settings: LinkedInSettings,
  accessToken: string,
  accountId: string,
  kind: EntityKind,
  hooks: ReadHooks,
): Promise<Map<string, EntityInfo>> {
  const finder = FINDERS[kind];
  const label = `GET /rest/adAccounts/{id}/${finder.path}`;
  const entities = new Map<string, EntityInfo>();
  const pages = finderPages(environment, settings, {
    path: `adAccounts/${accountId}/${finder.path}`,
    params: [['q', finder.q]],
    pageSize: finder.pageSize,
    label,
    accessToken,
    onAttempt: () => hooks.onApiCall(),
    onQuotaWait: (ms) => hooks.onQuotaWait(ms),
    signal: hooks.signal,
  });
  for await (const elements of pages) {
    for (const element of elements) {
      const entity = parseEntity(kind, element, label);
      entities.set(entity.id, entity);
    }
  }
  return entities;
}
