/**
 * `GET /rest/adAnalytics?q=analytics`: one unpaginated response `{paging, elements}` for the facets the
 * member may read. A facet naming an entity outside the member's accounts is 403, as LinkedIn answers.
 */
import type { FastifyInstance } from 'fastify';
import { type AnalyticsQuery, checkAnalyticsQuery } from './analytics-params.ts';
import { analyticsElements, type Selection } from './analytics-rows.ts';
import { type CallInput, requireScope, resourceLabel, runApiCall, type SandboxDeps } from './call.ts';
import { type AccountEntities, entitiesOf } from './entities.ts';
import { type ApiResponse, errors, ok } from './wire.ts';

/** The creatives the facets select, or the 403 for an entity the member cannot read. */
function select(input: CallInput, query: AnalyticsQuery): Selection | ApiResponse {
  const member = input.token.grant.user;
  const denied = () => errors.accessDenied(resourceLabel('adAnalytics', 'FINDER-analytics', input.version));
  const { accounts, campaignGroups, campaigns, creatives } = query.facets;
  let scope: AccountEntities[];
  if (accounts) {
    scope = [];
    for (const id of accounts) {
      const entities = entitiesOf(id);
      if (!entities || entities.owner !== member) return denied();
      if (!scope.includes(entities)) scope.push(entities);
    }
  } else {
    scope = member.accounts.map((account) => entitiesOf(account.id)!);
  }
  // Every entity named in a facet must belong to an account in scope.
  const known = (ids: number[] | undefined, list: (entities: AccountEntities) => { id: number }[]) =>
    !ids || ids.every((id) => scope.some((entities) => list(entities).some((item) => item.id === id)));
  if (
    !known(campaignGroups, (entities) => entities.groups) ||
    !known(campaigns, (entities) => entities.campaigns) ||
    !known(creatives, (entities) => entities.creatives)
  ) {
    return denied();
  }
  const selection: Selection = [];
  for (const entities of scope) {
    const picked: number[] = [];
    entities.creatives.forEach((creative, index) => {
      const campaign = entities.campaigns[creative.campaign]!;
      const group = entities.groups[campaign.group]!;
      if (
        (!campaignGroups || campaignGroups.includes(group.id)) &&
        (!campaigns || campaigns.includes(campaign.id)) &&
        (!creatives || creatives.includes(creative.id))
      ) {
        picked.push(index);
      }
    });
    if (picked.length > 0) selection.push({ entities, creatives: picked });
  }
  return selection;
}

function analytics(deps: SandboxDeps, input: CallInput): ApiResponse {
  const denied = requireScope(input, ['r_ads_reporting'], 'adAnalytics', 'FINDER-analytics');
  if (denied) return denied;
  const checked = checkAnalyticsQuery(input.query);
  if (!checked.ok) return checked.response;
  const selection = select(input, checked.value);
  if (!Array.isArray(selection)) return selection;
  const elements = analyticsElements(checked.value, selection, deps.context.now());
  // LinkedIn's analytics finder does not page: `paging` is a fixed stub whatever the element count.
  return ok({ paging: { start: 0, count: 10, links: [] }, elements });
}

/** Registers the analytics finder. */
export function registerAnalyticsRoutes(app: FastifyInstance, deps: SandboxDeps): void {
  app.get('/rest/adAnalytics', (request, reply) =>
    runApiCall(deps, request, reply, { family: 'rest', resource: 'adAnalytics.FINDER-analytics' }, (input) =>
      analytics(deps, input),
    ),
  );
}
