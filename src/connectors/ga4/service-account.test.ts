import { createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { build, errorFixture, google, makeServiceAccountKey, SANDBOX_URL } from './replay-fetch.ts';
import { parseServiceAccountKey, SERVICE_ACCOUNT_SECRET, signAssertion } from './service-account.ts';

const KEY = makeServiceAccountKey();
const keyFields = JSON.parse(KEY) as Record<string, string>;

function decodePart(part: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('key file checks', () => {
  it.each([
    ['', 'The key is empty'],
    ['{"type": "service_account",', 'The key is not JSON'],
    ['["a"]', 'not a JSON object'],
    [
      '{"web":{"client_id":"x.apps.googleusercontent.com","client_secret":"s"}}',
      'This is an OAuth client file, not a service-account key',
    ],
    ['{"installed":{"client_id":"x"}}', 'This is an OAuth client file'],
    ['{"type":"authorized_user","client_id":"x","refresh_token":"r"}', 'user credential file'],
    ['{"type":"external_account","audience":"x"}', 'workload identity federation'],
    ['{"client_email":"a@b.c"}', 'no "type": "service_account"'],
    [
      '{"type":"service_account","client_email":"a@b.iam.gserviceaccount.com"}',
      'has no private_key, token_uri',
    ],
  ])('%j is refused: %s', (text, message) => {
    let error: unknown;
    try {
      parseServiceAccountKey(text);
    } catch (failure) {
      error = failure;
    }
    expect(error).toMatchObject({ code: 'validation_failed', message: expect.stringContaining(message) });
    // Every refusal says where a real key comes from, except a cut-off file that only needs pasting again.
    expect((error as Error).message).toMatch(/Keys|key/);
  });

  it('refuses a private key that does not parse, without quoting it', () => {
    const broken = makeServiceAccountKey({
      private_key: '-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----\n',
    });
    expect(() => parseServiceAccountKey(broken)).toThrow(/private_key is not a readable PEM private key/);
    expect(() => parseServiceAccountKey(broken)).not.toThrow(/not-a-key/);
  });

  it('refuses an email that is not one and a token_uri that is not a URL', () => {
    expect(() => parseServiceAccountKey(makeServiceAccountKey({ client_email: 'reader' }))).toThrow(
      /client_email/,
    );
    expect(() => parseServiceAccountKey(makeServiceAccountKey({ token_uri: 'oauth2' }))).toThrow(/token_uri/);
  });

  it('reads a Google-shaped key', () => {
    const key = parseServiceAccountKey(KEY);
    expect(key).toMatchObject({
      clientEmail: 'reader@fixture-project.iam.gserviceaccount.com',
      clientId: '104857600000000000001',
      privateKeyId: keyFields.private_key_id,
      tokenUri: 'https://oauth2.googleapis.com/token',
    });
  });
});

describe('the signed assertion', () => {
  it('is an RS256 JWT with kid, iss, scope, aud = token_uri and an hour of life, verifiable with the public key', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    const jwt = signAssertion(parseServiceAccountKey(KEY), now);
    const [header, claims, signature] = jwt.split('.');
    expect(decodePart(header!)).toEqual({ alg: 'RS256', typ: 'JWT', kid: keyFields.private_key_id });
    expect(decodePart(claims!)).toEqual({
      iss: 'reader@fixture-project.iam.gserviceaccount.com',
      scope: 'https://www.googleapis.com/auth/analytics.readonly',
      aud: 'https://oauth2.googleapis.com/token',
      iat: 1772359200,
      exp: 1772362800,
    });
    const publicKey = createPublicKey(keyFields.private_key!);
    const ok = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${claims}`),
      publicKey,
      Buffer.from(signature!, 'base64url'),
    );
    expect(ok).toBe(true);
  });
});

describe('the credential form', () => {
  it('verifies: JWT bearer exchange, one accountSummaries call, identity from the key, key kept sealed', async () => {
    const { connector, requests } = build(google());
    const { token, identity } = await connector.credentialForm!.verify({ key: `\n${KEY}\n` });
    expect(identity).toEqual({
      businessAccount: 'reader@fixture-project.iam.gserviceaccount.com',
      businessAccountId: '104857600000000000001',
    });
    expect(token).toMatchObject({
      accessToken: 'ya29.c.fixture-service-account-token',
      scopes: ['https://www.googleapis.com/auth/analytics.readonly'],
      secrets: { [SERVICE_ACCOUNT_SECRET]: KEY },
    });
    expect(token.refreshToken).toBeUndefined();
    expect(Date.parse(token.expiresAt!)).toBeGreaterThan(Date.now() + 3500_000);
    expect(
      requests.map((request) => `${request.method} ${request.url.origin}${request.url.pathname}`),
    ).toEqual([
      'POST https://oauth2.googleapis.com/token',
      'GET https://analyticsadmin.googleapis.com/v1beta/accountSummaries',
    ]);
    const form = new URLSearchParams(requests[0]!.body);
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(form.get('assertion')!.split('.')).toHaveLength(3);
    expect(requests[1]!.url.searchParams.get('pageSize')).toBe('1');
    expect(requests[1]!.headers.get('authorization')).toBe('Bearer ya29.c.fixture-service-account-token');
  });

  it('posts to the configured token endpoint, never to a token_uri taken from the file', async () => {
    const key = makeServiceAccountKey({ token_uri: 'https://attacker.example/token' });
    const { connector, requests } = build(google(), {}, () => SANDBOX_URL);
    await connector.credentialForm!.verify({ key });
    expect(requests[0]!.url.toString()).toBe(`${SANDBOX_URL}/token`);
  });

  it('a key Google refuses (Invalid JWT Signature) is category auth; a bad file makes no call', async () => {
    const { connector, requests } = build(
      google({ 'POST token': errorFixture('oauth_invalid_grant_jwt.json') }),
    );
    await expect(connector.credentialForm!.verify({ key: KEY })).rejects.toMatchObject({
      code: 'auth_token_revoked',
      message: expect.stringContaining('Invalid JWT Signature.'),
    });
    expect(requests).toHaveLength(1);
    await expect(connector.credentialForm!.verify({ key: '{"web":{}}' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(requests).toHaveLength(1);
  });

  it('an API that is off in the key’s project is provider_not_configured (not a wrong key)', async () => {
    const { connector } = build(
      google({ 'GET accountSummaries': errorFixture('error_403_service_disabled.json') }),
    );
    await expect(connector.credentialForm!.verify({ key: KEY })).rejects.toMatchObject({
      code: 'provider_not_configured',
    });
  });
});

describe('a service-account credential in use', () => {
  const stored = { accessToken: 'ya29.c.old', scopes: [], secrets: { [SERVICE_ACCOUNT_SECRET]: KEY } };

  it('refresh signs a new assertion and keeps the key', async () => {
    const { connector, requests } = build(google());
    const token = await connector.refresh!(stored);
    expect(token).toMatchObject({
      accessToken: 'ya29.c.fixture-service-account-token',
      secrets: stored.secrets,
    });
    expect(new URLSearchParams(requests[0]!.body).get('grant_type')).toBe(
      'urn:ietf:params:oauth:grant-type:jwt-bearer',
    );
  });

  it('refresh of a deleted key is auth_token_revoked; of an unreadable stored key too', async () => {
    const { connector } = build(google({ 'POST token': errorFixture('oauth_invalid_grant_jwt.json') }));
    await expect(connector.refresh!(stored)).rejects.toMatchObject({ code: 'auth_token_revoked' });
    await expect(
      connector.refresh!({ ...stored, secrets: { [SERVICE_ACCOUNT_SECRET]: 'garbage' } }),
    ).rejects.toMatchObject({ code: 'auth_token_revoked' });
  });

  it('identify checks the token with the Admin API and names the service account; no userinfo call', async () => {
    const { connector, requests } = build(google());
    expect(await connector.identify(stored)).toEqual({
      businessAccount: 'reader@fixture-project.iam.gserviceaccount.com',
      businessAccountId: '104857600000000000001',
    });
    expect(requests.map((request) => request.url.pathname)).toEqual(['/v1beta/accountSummaries']);
    const expired = build(google({ 'GET accountSummaries': errorFixture('error_401_unauthenticated.json') }));
    await expect(expired.connector.identify(stored)).rejects.toMatchObject({ category: 'auth' });
  });

  it('revoke makes no call: the key is withdrawn in Cloud Console', async () => {
    const { connector, requests } = build(google());
    await connector.revoke!(stored);
    expect(requests).toHaveLength(0);
  });
});
