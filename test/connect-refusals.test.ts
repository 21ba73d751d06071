/**
 * Bad input at connect time is a clear 4xx naming the problem and its remedy, and saves nothing: a Google Ads
 * installation without a developer token, and a GA4 key that is not a service-account key (the LinkedIn token
 * without the ads scopes and the TikTok advertiser the user cannot read are in their providers' API tests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFailure, startTestApp, type TestApp } from './harness.ts';

describe('refused at connect time, nothing saved', () => {
  let app: TestApp;

  beforeAll(async () => {
    // A real Google Ads OAuth client, but no developer token: the installation is not ready for Google Ads.
    app = await startTestApp('pglite', {
      GOOGLE_ADS_CLIENT_ID: 'real-client.apps.googleusercontent.com',
      GOOGLE_ADS_CLIENT_SECRET: 'real-secret',
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('Google Ads without a developer token: 400 naming GOOGLE_ADS_DEVELOPER_TOKEN, no connection', async () => {
    const error = await apiFailure(app.api.call('createConnection', { body: { dataSource: 'google-ads' } }));
    expect([error.status, error.code]).toEqual([400, 'provider_not_configured']);
    expect(error.message).toContain('GOOGLE_ADS_DEVELOPER_TOKEN');
    expect((await app.api.call('listConnections', { query: {} })).items).toEqual([]);
  });

  it.each([
    ['not JSON', 'this is not a key'],
    ['an OAuth client file', JSON.stringify({ installed: { client_id: 'x.apps.googleusercontent.com' } })],
    [
      'a key without its private key',
      JSON.stringify({
        type: 'service_account',
        client_email: 'reader@project.iam.gserviceaccount.com',
        token_uri: 'https://oauth2.googleapis.com/token',
      }),
    ],
    [
      'a key whose private key does not parse',
      JSON.stringify({
        type: 'service_account',
        client_email: 'reader@project.iam.gserviceaccount.com',
        private_key: '-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n',
        token_uri: 'https://oauth2.googleapis.com/token',
      }),
    ],
  ])('GA4 with %s instead of a service-account key: 400 saying so, no connection', async (_what, key) => {
    const error = await apiFailure(
      app.api.call('createConnection', { body: { dataSource: 'ga4', credentials: { key } } }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/service[- ]account|private_key/i);
    expect(error.message).not.toContain('BEGIN PRIVATE KEY');
    expect((await app.api.call('listConnections', { query: {} })).items).toEqual([]);
  });
});
