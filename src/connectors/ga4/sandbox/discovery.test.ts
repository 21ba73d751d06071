import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeed, findUserByEmail, userSummaries } from './seed.ts';
import {
  apiGet,
  approve,
  exchangeCode,
  login,
  serviceLogin,
  startSandbox,
  type TestSandbox,
} from './test-harness.ts';

let sandbox: TestSandbox;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  sandbox = await startSandbox();
  for (const email of ['alex@example.com', 'nora@example.com', 'agency@example.com']) {
    tokens[email] = (await login(sandbox, email)).access;
  }
});
afterAll(async () => {
  await sandbox.close();
});

// biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary Google JSON.
async function allPages(path: string, key: string, token: string, pageSize?: number): Promise<any[][]> {
  const pages = [];
  let pageToken: string | undefined;
  do {
    const query = new URLSearchParams();
    if (pageSize !== undefined) query.set('pageSize', String(pageSize));
    if (pageToken) query.set('pageToken', pageToken);
    const separator = path.includes('?') ? '&' : '?';
    const response = await apiGet(sandbox, `${path}${separator}${query}`, token);
    if (response.status !== 200) throw new Error(response.text);
    pages.push(response.json[key] ?? []);
    pageToken = response.json.nextPageToken;
  } while (pageToken);
  return pages;
}

describe('seed', () => {
  it('is deterministic and matches the agreement', () => {
    expect(buildSeed()).toEqual(buildSeed());
    expect(userSummaries().map((user) => [user.email, user.accounts])).toEqual([
      ['alex@example.com', 3],
      ['nora@example.com', 0],
      ['agency@example.com', 280],
      ['sam.lee@example.com', 1],
      ['sam.lee@example.org', 1],
    ]);
    const ids = buildSeed().users.flatMap((user) =>
      user.accounts.flatMap((account) => [account.accountId, ...account.properties.map((p) => p.propertyId)]),
    );
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[1-9]\d{8}$/.test(id))).toBe(true);
  });
});

describe('accountSummaries', () => {
  it("lists alex's accounts with their property summaries", async () => {
    const response = await apiGet(sandbox, '/admin/v1beta/accountSummaries', tokens['alex@example.com']);
    expect(response.status).toBe(200);
    expect(response.json.nextPageToken).toBeUndefined();
    const alex = findUserByEmail('alex@example.com')!;
    const studio = alex.accounts[0]!;
    expect(response.json.accountSummaries[0]).toEqual({
      name: `accountSummaries/${studio.accountId}`,
      account: `accounts/${studio.accountId}`,
      displayName: 'Morgan Studio',
      propertySummaries: studio.properties.map((property) => ({
        property: `properties/${property.propertyId}`,
        displayName: property.displayName,
        propertyType: 'PROPERTY_TYPE_ORDINARY',
        parent: `accounts/${studio.accountId}`,
      })),
    });
    expect(
      response.json.accountSummaries.map((summary: { displayName: string }) => summary.displayName),
    ).toEqual(['Morgan Studio', 'Morgan Labs']);
  });

  it('answers {} for a user without accounts', async () => {
    const response = await apiGet(sandbox, '/admin/v1beta/accountSummaries', tokens['nora@example.com']);
    expect([response.status, response.json]).toEqual([200, {}]);
  });

  it('pages with pageSize and pageToken; nextPageToken absent on the last page', async () => {
    const pages = await allPages(
      '/admin/v1beta/accountSummaries',
      'accountSummaries',
      tokens['agency@example.com']!,
      2,
    );
    expect(pages.map((page) => page.length)).toEqual([2, 1]);
  });

  it('refuses a forged page token and a bad page size', async () => {
    const token = tokens['agency@example.com'];
    const forged = await apiGet(sandbox, '/admin/v1beta/accountSummaries?pageToken=abc', token);
    expect([forged.status, forged.json.error.status]).toEqual([400, 'INVALID_ARGUMENT']);
    const bad = await apiGet(sandbox, '/admin/v1beta/accountSummaries?pageSize=ten', token);
    expect([bad.status, bad.json.error.code]).toEqual([400, 400]);
    // A token issued to another caller is not valid for this one.
    const first = await apiGet(sandbox, '/admin/v1beta/accountSummaries?pageSize=1', token);
    const stolen = `/admin/v1beta/accountSummaries?pageToken=${first.json.nextPageToken}`;
    expect((await apiGet(sandbox, stolen, tokens['alex@example.com'])).status).toBe(400);
  });

  it('401 without or with a bad token, google.rpc.Status bodies', async () => {
    const missing = await apiGet(sandbox, '/admin/v1beta/accountSummaries');
    expect([missing.status, missing.json.error.status]).toEqual([401, 'UNAUTHENTICATED']);
    expect(missing.json.error.message).toMatch(/^Request is missing required authentication credential/);
    const bad = await apiGet(sandbox, '/admin/v1beta/accountSummaries', 'ya29.nope');
    expect(bad.json).toEqual({
      error: {
        code: 401,
        message: expect.stringMatching(/^Request had invalid authentication credentials\./),
        status: 'UNAUTHENTICATED',
      },
    });
    expect(String(bad.headers['www-authenticate'])).toContain('invalid_token');
  });
});

describe('properties', () => {
  it('lists the 230 properties of Agency Clients A in two pages of 200', async () => {
    const agency = findUserByEmail('agency@example.com')!;
    const clientsA = agency.accounts[0]!;
    const pages = await allPages(
      `/admin/v1beta/properties?filter=parent:accounts/${clientsA.accountId}`,
      'properties',
      tokens['agency@example.com']!,
      1000,
    );
    expect(pages.map((page) => page.length)).toEqual([200, 30]);
    const names = pages.flat().map((property: { displayName: string }) => property.displayName);
    expect(new Set(names).size).toBe(230);
  });

  it('returns full property resources with the default page size of 50', async () => {
    const alex = findUserByEmail('alex@example.com')!;
    const [studio] = alex.accounts;
    const response = await apiGet(
      sandbox,
      `/admin/v1beta/properties?filter=parent:accounts/${studio!.accountId}`,
      tokens['alex@example.com'],
    );
    expect(response.json.properties[0]).toEqual({
      name: `properties/${studio!.properties[0]!.propertyId}`,
      propertyType: 'PROPERTY_TYPE_ORDINARY',
      createTime: studio!.properties[0]!.createTime,
      updateTime: studio!.properties[0]!.updateTime,
      parent: `accounts/${studio!.accountId}`,
      displayName: 'morganstudio.com — Web',
      industryCategory: 'ARTS_AND_ENTERTAINMENT',
      timeZone: 'Europe/Berlin',
      currencyCode: 'EUR',
      serviceLevel: 'GOOGLE_ANALYTICS_STANDARD',
      account: `accounts/${studio!.accountId}`,
    });
    const agency = findUserByEmail('agency@example.com')!;
    const pages = await allPages(
      `/admin/v1beta/properties?filter=parent:accounts/${agency.accounts[1]!.accountId}`,
      'properties',
      tokens['agency@example.com']!,
    );
    expect(pages.map((page) => page.length)).toEqual([40]);
  });

  it('requires a filter; another caller’s account is PERMISSION_DENIED', async () => {
    const token = tokens['alex@example.com'];
    const noFilter = await apiGet(sandbox, '/admin/v1beta/properties', token);
    expect([noFilter.status, noFilter.json.error.status]).toEqual([400, 'INVALID_ARGUMENT']);
    const agencyAccount = findUserByEmail('agency@example.com')!.accounts[0]!.accountId;
    const other = await apiGet(
      sandbox,
      `/admin/v1beta/properties?filter=parent:accounts/${agencyAccount}`,
      token,
    );
    expect([other.status, other.json.error.status]).toEqual([403, 'PERMISSION_DENIED']);
  });

  it('the reporting service account sees the very same properties as alex', async () => {
    const token = await serviceLogin(sandbox, 'reporting@tributary-sandbox.iam.gserviceaccount.com');
    const asService = await apiGet(sandbox, '/admin/v1beta/accountSummaries', token);
    const asAlex = await apiGet(sandbox, '/admin/v1beta/accountSummaries', tokens['alex@example.com']);
    expect(asService.json).toEqual(asAlex.json);
    const property = findUserByEmail('alex@example.com')!.accounts[1]!.properties[0]!;
    const one = await apiGet(sandbox, `/admin/v1beta/properties/${property.propertyId}`, token);
    expect([one.status, one.json.displayName]).toEqual([200, 'labs.morganstudio.com']);
  });

  it('a token without an analytics scope is refused with insufficient scopes', async () => {
    const location = await approve(sandbox, 'alex@example.com', { scope: 'openid email' });
    const exchanged = await exchangeCode(sandbox, location.searchParams.get('code')!);
    const response = await apiGet(sandbox, '/admin/v1beta/accountSummaries', exchanged.json.access_token);
    expect([response.status, response.json.error.message]).toEqual([
      403,
      'Request had insufficient authentication scopes.',
    ]);
  });
});
