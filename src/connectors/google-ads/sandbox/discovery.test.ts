import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSeedUsers,
  findUserByEmail,
  reachableCustomers,
  type SeedCustomer,
  userSummaries,
} from './seed.ts';
import {
  API,
  adsHeaders,
  getUrl,
  login,
  type Row,
  search,
  startSandbox,
  type TestSandbox,
} from './test-harness.ts';

const HIERARCHY =
  'SELECT customer_client.client_customer, customer_client.level, customer_client.manager, customer_client.descriptive_name, customer_client.currency_code, customer_client.time_zone, customer_client.id, customer_client.status FROM customer_client';

let sandbox: TestSandbox;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  sandbox = await startSandbox();
  for (const email of ['alex@example.com', 'nora@example.com', 'agency@example.com', 'sam.lee@example.org']) {
    tokens[email] = await login(sandbox, email);
  }
});
afterAll(async () => {
  await sandbox.close();
});

/** Every row of a paged search, following nextPageToken; also returns the page count. */
async function allPages(customerId: string, query: string, headers: Record<string, string>) {
  const rows: Row[] = [];
  let pageToken: string | undefined;
  let pages = 0;
  do {
    const response = await search(
      sandbox,
      customerId,
      { query, ...(pageToken ? { pageToken } : {}) },
      headers,
    );
    if (response.status !== 200) throw new Error(`search: ${response.text}`);
    rows.push(...(response.json.results ?? []));
    pageToken = response.json.nextPageToken;
    pages += 1;
  } while (pageToken);
  return { rows, pages };
}

/** Discovery the way the agreement describes it: accessible customers, then level <= 1 per manager. */
async function discover(email: string) {
  const token = tokens[email]!;
  const listed = await getUrl(sandbox, `${API}/customers:listAccessibleCustomers`, adsHeaders(token));
  const roots = ((listed.json.resourceNames ?? []) as string[]).map((name) => name.split('/')[1]!);
  const found = new Map<string, Row>();
  let pages = 0;
  const visit = async (customerId: string, loginId: string) => {
    const result = await allPages(
      customerId,
      `${HIERARCHY} WHERE customer_client.level <= 1`,
      adsHeaders(token, loginId),
    );
    pages += result.pages;
    for (const row of result.rows) {
      const client = row.customerClient;
      if (found.has(client.id) && client.level !== '0') continue;
      found.set(client.id, client);
      if (client.manager && client.level === '1') await visit(client.id, loginId);
    }
  };
  for (const root of roots) await visit(root, root);
  return { accounts: [...found.values()], pages };
}

describe('listAccessibleCustomers', () => {
  it('lists the directly accessible customers as resource names; {} for a user without any', async () => {
    const alex = findUserByEmail('alex@example.com')!;
    const listed = await getUrl(
      sandbox,
      `${API}/customers:listAccessibleCustomers`,
      adsHeaders(tokens['alex@example.com']!),
    );
    expect(listed.json).toEqual({
      resourceNames: alex.accessible.map((customer) => `customers/${customer.id}`),
    });
    const nora = await getUrl(
      sandbox,
      `${API}/customers:listAccessibleCustomers`,
      adsHeaders(tokens['nora@example.com']!),
    );
    expect([nora.status, nora.json]).toEqual([200, {}]);
  });

  it('requires the developer token', async () => {
    const token = tokens['alex@example.com']!;
    const missing = await getUrl(sandbox, `${API}/customers:listAccessibleCustomers`, {
      authorization: `Bearer ${token}`,
    });
    expect([missing.status, missing.json.error.details[0].errors[0].errorCode]).toEqual([
      400,
      { requestError: 'DEVELOPER_TOKEN_PARAMETER_MISSING' },
    ]);
    const wrong = await getUrl(sandbox, `${API}/customers:listAccessibleCustomers`, {
      authorization: `Bearer ${token}`,
      'developer-token': 'someone-elses-token',
    });
    expect([wrong.status, wrong.json.error.details[0].errors[0].errorCode]).toEqual([
      401,
      { authenticationError: 'DEVELOPER_TOKEN_INVALID' },
    ]);
  });
});

describe('customer_client hierarchy', () => {
  it("finds all 9 of Alex's accounts once each, with managers, levels and statuses", async () => {
    const { accounts } = await discover('alex@example.com');
    expect(accounts).toHaveLength(9);
    const byName = new Map(accounts.map((account) => [account.descriptiveName, account]));
    expect(
      accounts
        .filter((account) => account.manager)
        .map((account) => account.descriptiveName)
        .sort(),
    ).toEqual(['Morgan Group MCC', 'Morgan Retail', 'Morgan Retail EU']);
    expect(byName.get('Retail Outlet')).toMatchObject({ status: 'CANCELED', manager: false });
    expect(byName.get('Retail UK')).toMatchObject({
      status: 'SUSPENDED',
      currencyCode: 'GBP',
      timeZone: 'Europe/London',
    });
    expect(byName.get('Retail DE')).toMatchObject({ currencyCode: 'EUR', timeZone: 'Europe/Berlin' });
  });

  it('serves all levels in one query and filters on level = N', async () => {
    const alex = findUserByEmail('alex@example.com')!;
    const mcc = alex.accessible[0]!;
    const headers = adsHeaders(tokens['alex@example.com']!, mcc.id);
    const all = await allPages(mcc.id, HIERARCHY, headers);
    expect(all.rows.map((row) => row.customerClient.level)).toEqual([
      '0',
      '1',
      '1',
      '2',
      '2',
      '2',
      '3',
      '3',
      '3',
    ]);
    const second = await allPages(mcc.id, `${HIERARCHY} WHERE customer_client.level = 2`, headers);
    expect(second.rows.map((row) => row.customerClient.descriptiveName)).toEqual([
      'Retail US Shopping',
      'Retail Outlet',
      'Morgan Retail EU',
    ]);
    expect(all.rows[0].customerClient.resourceName).toBe(`customers/${mcc.id}/customerClients/${mcc.id}`);
  });

  it('pages the agency: 1,202 rows under the top manager in two pages of at most 1,000, 1,252 accounts in all', async () => {
    const agency = findUserByEmail('agency@example.com')!;
    const top = agency.accessible[0]!;
    const first = await search(
      sandbox,
      top.id,
      { query: `${HIERARCHY} WHERE customer_client.level <= 1` },
      adsHeaders(tokens['agency@example.com']!, top.id),
    );
    expect(first.json.results).toHaveLength(1000);
    expect(typeof first.json.nextPageToken).toBe('string');
    const { accounts, pages } = await discover('agency@example.com');
    expect(accounts).toHaveLength(1252);
    expect(pages).toBe(3);
  });

  it('page tokens belong to their query; page_size is refused; the total count is there when asked', async () => {
    const top = findUserByEmail('agency@example.com')!.accessible[0]!;
    const headers = adsHeaders(tokens['agency@example.com']!, top.id);
    const query = `${HIERARCHY} WHERE customer_client.level <= 1`;
    const first = await search(
      sandbox,
      top.id,
      { query, searchSettings: { returnTotalResultsCount: true } },
      headers,
    );
    expect(first.json.totalResultsCount).toBe('1202');
    const other = await search(
      sandbox,
      top.id,
      { query: HIERARCHY, pageToken: first.json.nextPageToken },
      headers,
    );
    expect(other.json.error.details[0].errors[0].errorCode).toEqual({ requestError: 'INVALID_PAGE_TOKEN' });
    const sized = await search(sandbox, top.id, { query, pageSize: 50 }, headers);
    expect(sized.json.error.details[0].errors[0].errorCode).toEqual({
      requestError: 'PAGE_SIZE_NOT_SUPPORTED',
    });
    const second = await search(sandbox, top.id, { query, pageToken: first.json.nextPageToken }, headers);
    expect([second.json.results.length, second.json.nextPageToken]).toEqual([202, undefined]);
  });
});

describe('access through managers (login-customer-id)', () => {
  const alex = findUserByEmail('alex@example.com')!;
  const byName = (name: string) => reachableCustomers(alex).find((customer) => customer.name === name)!;
  const query = { query: 'SELECT customer.id, customer.descriptive_name FROM customer' };
  const call = (customer: SeedCustomer, loginId?: string) =>
    search(sandbox, customer.id, query, adsHeaders(tokens['alex@example.com']!, loginId));
  const code = (response: { json: Row }) => response.json.error?.details[0].errors[0].errorCode;

  it('a client under a manager needs that manager (or one above it) as login-customer-id', async () => {
    const mcc = byName('Morgan Group MCC');
    const fr = byName('Retail FR');
    expect(code(await call(fr))).toEqual({ authorizationError: 'USER_PERMISSION_DENIED' });
    expect((await call(fr, mcc.id)).json.results[0].customer.descriptiveName).toBe('Retail FR');
    expect((await call(fr, byName('Morgan Retail EU').id)).status).toBe(200);
    expect(code(await call(fr, byName('Morgan Brand Search').id))).toEqual({
      authorizationError: 'USER_PERMISSION_DENIED',
    });
  });

  it('a directly accessible client needs no login-customer-id; ids with dashes are refused', async () => {
    expect((await call(byName('Retail DE'))).status).toBe(200);
    const dashed = await call(byName('Retail DE'), '123-456-7890');
    expect([dashed.status, code(dashed)]).toEqual([400, { headerError: 'INVALID_LOGIN_CUSTOMER_ID' }]);
  });

  it('canceled and suspended clients answer CUSTOMER_NOT_ENABLED; other users cannot reach Alex', async () => {
    const mcc = byName('Morgan Group MCC');
    for (const name of ['Retail Outlet', 'Retail UK']) {
      const response = await call(byName(name), mcc.id);
      expect([response.status, code(response)]).toEqual([
        403,
        { authorizationError: 'CUSTOMER_NOT_ENABLED' },
      ]);
    }
    const stranger = await search(sandbox, mcc.id, query, adsHeaders(tokens['nora@example.com']!, mcc.id));
    expect(code(stranger)).toEqual({ authorizationError: 'USER_PERMISSION_DENIED' });
  });
});

describe('seed', () => {
  it('is deterministic and its summaries count what discovery finds', async () => {
    expect(JSON.stringify(buildSeedUsers(), (key, value) => (key === 'parent' ? value?.id : value))).toBe(
      JSON.stringify(buildSeedUsers(), (key, value) => (key === 'parent' ? value?.id : value)),
    );
    const summaries = new Map(userSummaries().map((summary) => [summary.email, summary]));
    expect([...summaries.values()].map((summary) => summary.accounts)).toEqual([9, 0, 1252, 1, 1]);
    expect(summaries.get('sam.lee@example.com')!.userId).not.toBe(
      summaries.get('sam.lee@example.org')!.userId,
    );
    for (const user of buildSeedUsers())
      for (const customer of reachableCustomers(user)) expect(customer.id).toMatch(/^[1-9]\d{9}$/);
    expect(
      (await discover('sam.lee@example.org')).accounts.map((account) => account.descriptiveName),
    ).toEqual(['Sam Lee Consulting']);
  });
});
