import { describe, expect, it } from 'vitest';
import {
  APP_ID,
  build,
  CODE,
  collect,
  graph,
  okFixture,
  REAL_ENV,
  REDIRECT,
  SANDBOX_URL,
  TOKEN,
  VERIFIER,
} from './replay-fetch.ts';

describe('mode selection', () => {
  it('uses the real Graph API when both app credentials are set, even with a sandbox available', async () => {
    const { connector, requests } = build(graph(), REAL_ENV, () => SANDBOX_URL);
    expect({ sandbox: connector.sandbox, configured: connector.configured }).toEqual({
      sandbox: false,
      configured: true,
    });
    await connector.identify(TOKEN);
    expect(requests[0]!.url.origin).toBe('https://graph.facebook.com');
  });

  it('honours META_API_VERSION and the base URL overrides on Meta hosts', async () => {
    const env = {
      ...REAL_ENV,
      META_API_VERSION: 'v24.0',
      META_GRAPH_BASE_URL: 'https://graph.facebook.com/',
      META_DIALOG_BASE_URL: 'https://m.facebook.com',
    };
    const { connector, requests } = build(() => okFixture('me_response.json'), env);
    expect(connector.oauth!.authorizationUrl({ state: 's', redirectUri: REDIRECT })).toMatch(
      /^https:\/\/m\.facebook\.com\/v24\.0\/dialog\/oauth\?/,
    );
    await connector.identify(TOKEN);
    expect(requests[0]!.url.toString()).toBe('https://graph.facebook.com/v24.0/me?fields=id%2Cname%2Cemail');
  });

  it('refuses a base URL override off Meta hosts before any request', async () => {
    for (const override of ['https://graph.proxy.example', 'http://169.254.169.254', 'http://127.0.0.1:9']) {
      const { connector, requests } = build(graph(), { ...REAL_ENV, META_GRAPH_BASE_URL: override });
      await expect(connector.identify(TOKEN)).rejects.toMatchObject({
        code: 'provider_not_configured',
        message: expect.stringContaining('META_GRAPH_BASE_URL'),
        details: {
          variable: 'META_GRAPH_BASE_URL',
          allowedHosts: expect.arrayContaining(['graph.facebook.com']),
        },
      });
      expect(requests).toHaveLength(0);
    }
  });

  it('uses the sandbox for both dialog and Graph, with the sandbox app credentials', async () => {
    const { connector, requests } = build(graph(), { META_APP_ID: APP_ID }, () => SANDBOX_URL);
    expect({ sandbox: connector.sandbox, configured: connector.configured }).toEqual({
      sandbox: true,
      configured: true,
    });
    const url = new URL(
      connector.oauth!.authorizationUrl({ state: 's', redirectUri: REDIRECT, codeChallenge: 'c' }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(`${SANDBOX_URL}/v25.0/dialog/oauth`);
    expect(url.searchParams.get('client_id')).toBe('tributary-sandbox-app');
    await connector.oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT, codeVerifier: VERIFIER });
    expect(requests[0]!.url.toString().startsWith(`${SANDBOX_URL}/v25.0/oauth/access_token?`)).toBe(true);
    expect(requests[0]!.url.searchParams.get('client_secret')).toBe('tributary-sandbox-secret');
    expect(requests[2]!.url.toString()).toBe(`${SANDBOX_URL}/v25.0/me/permissions`);
  });

  it('resolves the sandbox URL at call time', () => {
    let sandboxUrl: string | null = null;
    const { connector } = build(graph(), {}, () => sandboxUrl);
    expect(connector.configured).toBe(false);
    sandboxUrl = SANDBOX_URL;
    expect(connector.configured).toBe(true);
    expect(connector.oauth!.authorizationUrl({ state: 's', redirectUri: REDIRECT })).toContain(SANDBOX_URL);
  });

  it('is unconfigured without credentials or sandbox, and every call says so', async () => {
    const { connector, requests } = build(graph(), { META_APP_ID: APP_ID }, () => null);
    expect({ sandbox: connector.sandbox, configured: connector.configured }).toEqual({
      sandbox: false,
      configured: false,
    });
    expect(() => connector.oauth!.authorizationUrl({ state: 's', redirectUri: REDIRECT })).toThrow(
      expect.objectContaining({ code: 'provider_not_configured' }),
    );
    await expect(connector.identify(TOKEN)).rejects.toMatchObject({ code: 'provider_not_configured' });
    await expect(collect(connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'provider_not_configured',
    });
    expect(requests).toHaveLength(0);
  });

  it('reports a malformed META_API_VERSION as not configured', async () => {
    const { connector } = build(graph(), { ...REAL_ENV, META_API_VERSION: 'v25.0/../x' });
    expect(connector.configured).toBe(false);
    await expect(connector.identify(TOKEN)).rejects.toMatchObject({
      code: 'provider_not_configured',
      message: 'META_API_VERSION must look like v25.0',
    });
  });
});
