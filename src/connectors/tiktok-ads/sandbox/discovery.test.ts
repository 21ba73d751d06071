import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APP_ID, SANDBOX_APP_SECRET } from './constants.ts';
import { findUserByEmail } from './seed.ts';
import { api, login, startSandbox, type TestSandbox } from './test-harness.ts';

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

const app = { app_id: SANDBOX_APP_ID, secret: SANDBOX_APP_SECRET };

describe('oauth2/advertiser/get/', () => {
  it('lists every authorized advertiser, unpaged', async () => {
    const { json } = await api(sandbox, '/oauth2/advertiser/get/', app, agency);
    expect(json.code).toBe(0);
    expect(json.data.list).toHaveLength(250);
    expect(json.data).not.toHaveProperty('page_info');
    expect(Object.keys(json.data.list[0]).sort()).toEqual(['advertiser_id', 'advertiser_name']);
    expect(typeof json.data.list[0].advertiser_id).toBe('string');
  });

  it('finds nothing for a user without advertisers', async () => {
    const nora = await login(sandbox, 'nora@example.com');
    expect((await api(sandbox, '/oauth2/advertiser/get/', app, nora)).json.data.list).toEqual([]);
  });

  it('needs the app credentials', async () => {
    const missing = await api(sandbox, '/oauth2/advertiser/get/', { app_id: SANDBOX_APP_ID }, alex);
    expect(missing.json.code).toBe(40002);
    expect(missing.json.message).toMatch(/^secret: /);
    expect((await api(sandbox, '/oauth2/advertiser/get/', { ...app, secret: 'x' }, alex)).json.code).toBe(
      40101,
    );
  });
});

describe('advertiser/info/', () => {
  it("returns Alex's advertisers with TikTok's field types", async () => {
    const ids = findUserByEmail('alex@example.com')!.advertisers.map((a) => a.advertiserId);
    const { json } = await api(
      sandbox,
      '/advertiser/info/',
      {
        advertiser_ids: ids,
        fields: ['advertiser_id', 'name', 'currency', 'timezone', 'status', 'create_time'],
      },
      alex,
    );
    expect(json.code).toBe(0);
    expect(
      json.data.list.map((a: { currency: string; timezone: string; status: string }) => [
        a.currency,
        a.timezone,
        a.status,
      ]),
    ).toEqual([
      ['EUR', 'Europe/Berlin', 'STATUS_ENABLE'],
      ['USD', 'America/New_York', 'STATUS_ENABLE'],
      ['GBP', 'Europe/London', 'STATUS_DISABLE'],
    ]);
    const first = json.data.list[0];
    expect(Object.keys(first)).toEqual([
      'advertiser_id',
      'name',
      'currency',
      'timezone',
      'status',
      'create_time',
    ]);
    expect(first.advertiser_id).toBe(ids[0]);
    expect(typeof first.create_time).toBe('number');
  });

  it('without fields returns every field', async () => {
    const id = findUserByEmail('alex@example.com')!.advertisers[0]!.advertiserId;
    const { json } = await api(sandbox, '/advertiser/info/', { advertiser_ids: [id] }, alex);
    expect(Object.keys(json.data.list[0])).toEqual(
      expect.arrayContaining([
        'advertiser_id',
        'name',
        'currency',
        'timezone',
        'status',
        'address',
        'balance',
      ]),
    );
  });

  it('takes the 250 agency advertisers in batches of at most 100, and refuses 101', async () => {
    const listed = (await api(sandbox, '/advertiser/info/', {}, agency)).json;
    expect(listed.code).toBe(40002);
    const ids = findUserByEmail('agency@example.com')!.advertisers.map((a) => a.advertiserId);
    const details = [];
    for (let start = 0; start < ids.length; start += 100) {
      const batch = ids.slice(start, start + 100);
      const { json } = await api(
        sandbox,
        '/advertiser/info/',
        { advertiser_ids: batch, fields: ['advertiser_id', 'status'] },
        agency,
      );
      expect(json.code).toBe(0);
      details.push(...json.data.list);
    }
    expect(details.map((d) => d.advertiser_id)).toEqual(ids);
    expect(details.filter((d) => d.status !== 'STATUS_ENABLE')).toHaveLength(6);
    const tooMany = await api(sandbox, '/advertiser/info/', { advertiser_ids: ids.slice(0, 101) }, agency);
    expect(tooMany.status).toBe(200);
    expect(tooMany.json.code).toBe(40002);
    expect(tooMany.json.message).toMatch(/^advertiser_ids: /);
  });

  it('rejects non-JSON lists, unknown fields, foreign and unknown advertisers', async () => {
    const alexId = findUserByEmail('alex@example.com')!.advertisers[0]!.advertiserId;
    const notList = await api(sandbox, '/advertiser/info/', { advertiser_ids: alexId }, alex);
    expect(notList.json).toMatchObject({ code: 40002, message: 'advertiser_ids: Not a valid list.' });
    const badField = await api(
      sandbox,
      '/advertiser/info/',
      { advertiser_ids: [alexId], fields: ['nope'] },
      alex,
    );
    expect(badField.json.code).toBe(40002);
    expect(badField.json.message).toMatch(/^fields: .*nope/);
    const foreign = await api(sandbox, '/advertiser/info/', { advertiser_ids: [alexId] }, agency);
    expect(foreign.json.code).toBe(40001);
    const unknown = await api(sandbox, '/advertiser/info/', { advertiser_ids: ['1234567890123456'] }, alex);
    expect(unknown.json.code).toBe(40300);
  });
});
