/**
 * The objects under an account, for names (analytics returns only URNs):
 * `GET /rest/adAccounts/{id}/adCampaignGroups?q=search`, `…/adCampaigns?q=search` and
 * `…/creatives?q=criteria`, all with cursor paging (`pageSize`, `pageToken`, `metadata.nextPageToken`).
 */
import type { FastifyInstance } from 'fastify';
import { READ_ADS } from './account-routes.ts';
import { type CallInput, requireScope, resourceLabel, runApiCall, type SandboxDeps } from './call.ts';
import { MAX_CREATIVES_PAGE_SIZE } from './constants.ts';
import { campaignElement, campaignUrn, creativeElement, groupElement, groupUrn } from './elements.ts';
import { type AccountEntities, entitiesOf } from './entities.ts';
import { checkParams, leafList, pageOf, param, restliParam, searchCriteria, urnListParam } from './finder.ts';
import { type ApiResponse, errors } from './wire.ts';

type Finder = 'adCampaignGroups' | 'adCampaigns' | 'creatives';

/** The account of the path, or the 404/403 LinkedIn answers. */
function ownedAccount(
  input: CallInput,
  rawId: string,
  finder: Finder,
  method: string,
): AccountEntities | ApiResponse {
  const id = /^\d{1,18}$/.test(rawId) ? Number(rawId) : undefined;
  const entities = id === undefined ? undefined : entitiesOf(id);
  if (!entities) return errors.notFound(`Not found: urn:li:sponsoredAccount:${rawId}`);
  if (entities.owner !== input.token.grant.user)
    return errors.accessDenied(resourceLabel(finder, method, input.version));
  return entities;
}

/** `id` criteria may be given as plain ids or as URNs. */
function idMatches(values: string[] | undefined, id: number, urn: string): boolean {
  return !values || values.includes(String(id)) || values.includes(urn);
}

function search(input: CallInput, rawId: string, finder: 'adCampaignGroups' | 'adCampaigns'): ApiResponse {
  const { query } = input;
  const denied = requireScope(input, READ_ADS, finder, 'FINDER-search');
  if (denied) return denied;
  const unknown = checkParams(query, ['q', 'search', 'pageSize', 'pageToken', 'fields', 'sortOrder']);
  if (unknown) return unknown;
  if (param(query, 'q') !== 'search') {
    return errors.badRequest(
      'ILLEGAL_ARGUMENT',
      `Invalid finder "${param(query, 'q') ?? ''}"; ${finder} has q=search`,
    );
  }
  const sortOrder = param(query, 'sortOrder');
  if (sortOrder !== undefined && sortOrder !== 'ASCENDING' && sortOrder !== 'DESCENDING') {
    return errors.badRequest('ILLEGAL_ARGUMENT', 'Invalid value for sortOrder: ASCENDING or DESCENDING');
  }
  const entities = ownedAccount(input, rawId, finder, 'FINDER-search');
  if (!('account' in entities)) return entities;
  const criteria = searchCriteria(
    query,
    finder === 'adCampaigns' ? ['status', 'id', 'name', 'campaignGroup', 'type'] : ['status', 'id', 'name'],
  );
  if (!criteria.ok) return criteria.response;
  const { values, test } = criteria.value;
  const elements: Record<string, unknown>[] = [];
  const list = finder === 'adCampaigns' ? entities.campaigns : entities.groups;
  list.forEach((item, index) => {
    const element =
      finder === 'adCampaigns' ? campaignElement(entities, index) : groupElement(entities, index);
    const urn = finder === 'adCampaigns' ? campaignUrn(item.id) : groupUrn(item.id);
    const keep =
      test !== true &&
      idMatches(values.get('id'), item.id, urn) &&
      (!values.has('status') || values.get('status')!.includes(item.status)) &&
      (!values.has('name') || values.get('name')!.includes(item.name)) &&
      (!values.has('type') || values.get('type')!.includes(String(element.type))) &&
      (!values.has('campaignGroup') || values.get('campaignGroup')!.includes(String(element.campaignGroup)));
    if (keep) elements.push(element);
  });
  if (sortOrder === 'DESCENDING') elements.reverse();
  const key = `${finder}|${entities.account.id}|${param(query, 'search') ?? ''}|${sortOrder ?? ''}`;
  return pageOf(elements, query, key, { offsetPaging: false });
}

function criteria(input: CallInput, rawId: string): ApiResponse {
  const { query } = input;
  const denied = requireScope(input, READ_ADS, 'creatives', 'FINDER-criteria');
  if (denied) return denied;
  const allowed = [
    'q',
    'campaigns',
    'creatives',
    'intendedStatuses',
    'isTestAccount',
    'sortOrder',
    'pageSize',
    'pageToken',
    'fields',
  ];
  const unknown = checkParams(query, allowed);
  if (unknown) return unknown;
  if (param(query, 'q') !== 'criteria') {
    return errors.badRequest(
      'ILLEGAL_ARGUMENT',
      `Invalid finder "${param(query, 'q') ?? ''}"; creatives has q=criteria`,
    );
  }
  const entities = ownedAccount(input, rawId, 'creatives', 'FINDER-criteria');
  if (!('account' in entities)) return entities;
  const campaigns = urnListParam(query, 'campaigns', 'sponsoredCampaign');
  if (!campaigns.ok) return campaigns.response;
  const creatives = urnListParam(query, 'creatives', 'sponsoredCreative');
  if (!creatives.ok) return creatives.response;
  const statuses = restliParam(query, 'intendedStatuses');
  if (!statuses.ok) return statuses.response;
  const statusList = leafList(statuses.value, 'intendedStatuses');
  if (!statusList.ok) return statusList.response;
  const sortOrder = param(query, 'sortOrder');
  const elements: Record<string, unknown>[] = [];
  entities.creatives.forEach((creative, index) => {
    const element = creativeElement(entities, index);
    const campaignId = entities.campaigns[creative.campaign]!.id;
    const keep =
      (!campaigns.value || campaigns.value.includes(campaignId)) &&
      (!creatives.value || creatives.value.includes(creative.id)) &&
      (!statusList.value || statusList.value.includes(String(element.intendedStatus))) &&
      param(query, 'isTestAccount') !== 'true';
    if (keep) elements.push(element);
  });
  if (sortOrder === 'DESCENDING') elements.reverse();
  const key = `creatives|${entities.account.id}|${param(query, 'campaigns') ?? ''}|${param(query, 'creatives') ?? ''}|${param(query, 'intendedStatuses') ?? ''}|${sortOrder ?? ''}`;
  return pageOf(elements, query, key, { offsetPaging: false, maxPageSize: MAX_CREATIVES_PAGE_SIZE });
}

/** Registers the campaign group, campaign and creative finders. */
export function registerEntityRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  for (const finder of ['adCampaignGroups', 'adCampaigns'] as const) {
    app.get<{ Params: { id: string } }>(`/rest/adAccounts/:id/${finder}`, (request, reply) =>
      runApiCall(deps, request, reply, { family: 'rest', resource: `${finder}.FINDER-search` }, (input) =>
        search(input, request.params.id, finder),
      ),
    );
  }
  app.get<{ Params: { id: string } }>('/rest/adAccounts/:id/creatives', (request, reply) =>
    runApiCall(deps, request, reply, { family: 'rest', resource: 'creatives.FINDER-criteria' }, (input) =>
      criteria(input, request.params.id),
    ),
  );
}
