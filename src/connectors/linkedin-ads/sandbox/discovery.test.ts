/**
 * Discovery and the `/rest` frame: the account search with cursor and offset paging, filters and
 * projections; campaign groups, campaigns and creatives; the required headers and Rest.li syntax; and
 * LinkedIn's answers to mistakes (unknown parameter, bad cursor, foreign or unknown account, unknown path).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENCY_ACCOUNT_COUNT, findUserByEmail } from './seed.ts';
import { BASE, getUrl, login, rest, restHeaders, startSandbox, type TestSandbox } from './test-harness.ts';

let sandbox: TestSandbox;
let alex: string;
let agency: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  alex = await login(sandbox, 'alex@example.com');
  agency = await login(sandbox, 'agency@example.com');
});
afterAll(async () => {
  await sandbox.close();
});

// biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary LinkedIn JSON.
type Json = any;

async function allPages(
  token: string,
  path: string,
  query: string,
): Promise<{ pages: number; elements: Json[] }> {
  const elements: Json[] = [];
  let pages = 0;
  let cursor: string | undefined;
  do {
    const response = await rest(sandbox, path, `${query}${cursor ? `&pageToken=${cursor}` : ''}`, token);
    expect(response.status, response.text).toBe(200);
    elements.push(...response.json.elements);
    pages += 1;
    cursor = response.json.metadata.nextPageToken;
  } while (cursor);
  return { pages, elements };
}

describe('ad account search', () => {
  it("finds the member's four accounts, ids as numbers, statuses upper-case", async () => {
    const { elements } = await allPages(alex, '/adAccounts', 'q=search');
    const seeded = findUserByEmail('alex@example.com')!.accounts;
    expect(elements.map((element) => element.id)).toEqual(seeded.map((account) => account.id));
    expect(elements.map((element) => [element.name, element.currency, element.status])).toEqual([
      ['Morgan Studio — EU', 'EUR', 'ACTIVE'],
      ['Morgan Studio — US', 'USD', 'ACTIVE'],
      ['Morgan Studio — Careers', 'GBP', 'ACTIVE'],
      ['Morgan Studio — Old', 'USD', 'CANCELED'],
    ]);
    expect(typeof elements[0].id).toBe('number');
  });

  it.each([1000, 100, 7])('pages the agency member at pageSize=%i to all 1,200 accounts', async (size) => {
    const { pages, elements } = await allPages(agency, '/adAccounts', `q=search&pageSize=${size}`);
    expect(pages).toBe(Math.ceil(AGENCY_ACCOUNT_COUNT / size));
    expect(new Set(elements.map((element) => element.id)).size).toBe(AGENCY_ACCOUNT_COUNT);
  });

  it('defaults to 100 a page; the last page has no nextPageToken; a member without accounts gets none', async () => {
    const first = await rest(sandbox, '/adAccounts', 'q=search', agency);
    expect(first.json.elements).toHaveLength(100);
    const nora = await login(sandbox, 'nora@example.com');
    const empty = await rest(sandbox, '/adAccounts', 'q=search&pageSize=10', nora);
    expect([empty.status, empty.json.elements, empty.json.metadata.nextPageToken]).toEqual([
      200,
      [],
      undefined,
    ]);
  });

  it('filters by status with Rest.li search syntax, and offset paging reports the total', async () => {
    const active = await rest(
      sandbox,
      '/adAccounts',
      'q=search&search=(status:(values:List(ACTIVE)),test:false)',
      alex,
    );
    expect(active.json.elements).toHaveLength(3);
    const offset = await rest(sandbox, '/adAccounts', 'q=search&start=2&count=1&fields=id,name', alex);
    expect(offset.json.paging).toEqual({ start: 2, count: 1, links: [], total: 4 });
    expect(Object.keys(offset.json.elements[0]).sort()).toEqual(['id', 'name']);
  });

  it('refuses a cursor from another query, a page size over 1000, and an unknown parameter', async () => {
    const first = await rest(sandbox, '/adAccounts', 'q=search&pageSize=5', agency);
    const token = first.json.metadata.nextPageToken;
    const other = await rest(
      sandbox,
      '/adAccounts',
      `q=search&search=(status:(values:List(ACTIVE)))&pageToken=${token}`,
      agency,
    );
    expect(other.status).toBe(400);
    expect((await rest(sandbox, '/adAccounts', 'q=search&pageSize=1001', agency)).status).toBe(400);
    const unknown = await rest(sandbox, '/adAccounts', 'q=search&limit=5', agency);
    expect([unknown.status, unknown.json.code]).toEqual([400, 'QUERY_PARAM_NOT_ALLOWED']);
    const badSearch = await rest(
      sandbox,
      '/adAccounts',
      'q=search&search=(status:(values:List(ACTIVE))',
      agency,
    );
    expect(badSearch.status).toBe(400);
  });

  it('reads one account; another member’s is 403 and an unknown one 404', async () => {
    const own = findUserByEmail('alex@example.com')!.accounts[1]!;
    expect((await rest(sandbox, `/adAccounts/${own.id}`, '', alex)).json.name).toBe(own.name);
    const foreign = findUserByEmail('sam.lee@example.com')!.accounts[0]!;
    expect((await rest(sandbox, `/adAccounts/${foreign.id}`, '', alex)).status).toBe(403);
    expect((await rest(sandbox, '/adAccounts/1', '', alex)).status).toBe(404);
  });
});

describe('campaign groups, campaigns, creatives', () => {
  const account = () => findUserByEmail('alex@example.com')!.accounts[0]!;

  it('campaigns carry their group and account URNs; groups and creatives page by cursor', async () => {
    const groups = await allPages(
      alex,
      `/adAccounts/${account().id}/adCampaignGroups`,
      'q=search&pageSize=1',
    );
    const campaigns = await allPages(alex, `/adAccounts/${account().id}/adCampaigns`, 'q=search&pageSize=1');
    expect(campaigns.pages).toBe(campaigns.elements.length);
    for (const campaign of campaigns.elements) {
      expect(campaign.account).toBe(`urn:li:sponsoredAccount:${account().id}`);
      expect(groups.elements.map((group) => `urn:li:sponsoredCampaignGroup:${group.id}`)).toContain(
        campaign.campaignGroup,
      );
      expect(['CPM', 'CPC']).toContain(campaign.costType);
      expect(typeof campaign.id).toBe('number');
    }
    const creatives = await allPages(alex, `/adAccounts/${account().id}/creatives`, 'q=criteria&pageSize=2');
    expect(creatives.elements.length).toBeGreaterThan(0);
    expect(creatives.elements[0].id).toMatch(/^urn:li:sponsoredCreative:\d+$/);
  });

  it('filters creatives by campaign URNs (encoded inside List)', async () => {
    const campaigns = await rest(sandbox, `/adAccounts/${account().id}/adCampaigns`, 'q=search', alex);
    const urn = `urn:li:sponsoredCampaign:${campaigns.json.elements[0].id}`;
    const filtered = await rest(
      sandbox,
      `/adAccounts/${account().id}/creatives`,
      `q=criteria&campaigns=List(${encodeURIComponent(urn)})`,
      alex,
    );
    expect(filtered.json.elements.length).toBeGreaterThan(0);
    expect(filtered.json.elements.every((creative: { campaign: string }) => creative.campaign === urn)).toBe(
      true,
    );
    const raw = await rest(
      sandbox,
      `/adAccounts/${account().id}/creatives`,
      `q=criteria&campaigns=List(${urn})`,
      alex,
    );
    expect(raw.status).toBe(400);
  });

  it('the high-volume agency account has 700 creatives, 100 a page at most', async () => {
    const highVolume = findUserByEmail('agency@example.com')!.accounts[0]!;
    const path = `/adAccounts/${highVolume.id}/creatives`;
    expect((await rest(sandbox, path, 'q=criteria&pageSize=101', agency)).status).toBe(400);
    const { elements } = await allPages(agency, path, 'q=criteria&pageSize=100');
    expect(elements).toHaveLength(700);
  });

  it('another member’s account is 403; offset paging is not offered here', async () => {
    const foreign = findUserByEmail('sam.lee@example.com')!.accounts[0]!;
    expect((await rest(sandbox, `/adAccounts/${foreign.id}/adCampaigns`, 'q=search', alex)).status).toBe(403);
    expect(
      (await rest(sandbox, `/adAccounts/${account().id}/adCampaigns`, 'q=search&start=0&count=10', alex))
        .status,
    ).toBe(400);
  });
});

describe('the /rest frame', () => {
  it('needs LinkedIn-Version: missing is 400 VERSION_MISSING, inactive is 426 NONEXISTENT_VERSION', async () => {
    const { 'linkedin-version': _version, ...noVersion } = restHeaders(alex);
    const missing = await rest(sandbox, '/adAccounts', 'q=search', alex, noVersion);
    expect([missing.status, missing.json.code]).toEqual([400, 'VERSION_MISSING']);
    const old = await rest(sandbox, '/adAccounts', 'q=search', alex, restHeaders(alex, '202301'));
    expect([old.status, old.json]).toEqual([
      426,
      { status: 426, code: 'NONEXISTENT_VERSION', message: 'Requested version 202301 is not active' },
    ]);
    expect((await rest(sandbox, '/adAccounts', 'q=search', alex, restHeaders(alex, '202411'))).status).toBe(
      200,
    );
  });

  it('needs X-Restli-Protocol-Version 2.0.0 and a bearer token', async () => {
    const { 'x-restli-protocol-version': _protocol, ...noProtocol } = restHeaders(alex);
    expect((await rest(sandbox, '/adAccounts', 'q=search', alex, noProtocol)).status).toBe(400);
    const { authorization: _authorization, ...noToken } = restHeaders(alex);
    expect((await rest(sandbox, '/adAccounts', 'q=search', alex, noToken)).status).toBe(401);
    const unknown = await rest(sandbox, '/adAccounts', 'q=search', 'nope');
    expect(unknown.json).toEqual({
      status: 401,
      serviceErrorCode: 65600,
      code: 'INVALID_ACCESS_TOKEN',
      message: 'Invalid access token',
    });
  });

  it('answers an unknown path with RESOURCE_NOT_FOUND', async () => {
    const response = await getUrl(sandbox, `${BASE}/rest/adAccountsV2?q=search`, restHeaders(alex));
    expect([response.status, response.json.code]).toEqual([404, 'RESOURCE_NOT_FOUND']);
  });
});
