/**
 * Non-OAuth sources: credentials are validated against the source's form, verified with the
 * provider before anything is saved, sealed, and replaced on reconnect (same user only).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metaAdsConnector } from '../src/connectors/meta-ads/index.ts';
import type { ApiError } from '../src/contract/client.ts';
import { tokenFormConnector } from './fixtures/tokenFormConnector.ts';
import { approveInSandbox, startTestApp, type TestApp, waitFor } from './harness.ts';

describe('credential-form sources', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('pglite', {}, { connectors: [metaAdsConnector, tokenFormConnector] });
  });
  afterAll(async () => {
    await app?.close();
  });

  /** A real sandbox token for `email`, obtained through the OAuth flow of the Meta source. */
  async function sandboxToken(email: string): Promise<string> {
    const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
    await approveInSandbox(created.authorizationUrl!, email);
    const tokens = (await (await fetch(`${app.url}/sandbox/_control/tokens`)).json()) as {
      tokens: { kind: string; value: string; user: string }[];
    };
    return tokens.tokens.filter((token) => token.user === email && token.kind === 'access_token').at(-1)!
      .value;
  }

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected a failure');
      },
      (error: ApiError) => error,
    );

  it('describes its form and refuses bad values without saving anything', async () => {
    const source = await app.api.call('getDataSource', { params: { id: 'meta-ads-token' } });
    expect(source.authType).toBe('api_key');
    expect(source.credentialFields).toEqual([expect.objectContaining({ name: 'accessToken', secret: true })]);

    const before = (await app.api.call('listConnections')).items.length;
    const missing = await failure(
      app.api.call('createConnection', { body: { dataSource: 'meta-ads-token' } }),
    );
    expect([missing.status, missing.code]).toEqual([400, 'validation_failed']);
    expect(missing.message).toContain('accessToken');
    const unknownField = await failure(
      app.api.call('createConnection', {
        body: { dataSource: 'meta-ads-token', credentials: { accessToken: 'EAAx', password: 'p' } },
      }),
    );
    expect(unknownField.message).toContain('credentials.password is not a field');
    const shape = await failure(
      app.api.call('createConnection', {
        body: { dataSource: 'meta-ads-token', credentials: { accessToken: 'nope' } },
      }),
    );
    expect(shape.message).toContain('does not look like a Access token');
    const wrong = await failure(
      app.api.call('createConnection', {
        body: { dataSource: 'meta-ads-token', credentials: { accessToken: 'EAAwrong-token' } },
      }),
    );
    expect([wrong.status, wrong.code]).toEqual([400, 'auth_invalid_credentials']);
    expect(wrong.message).toContain('Meta Ads (access token) refused the credentials');
    expect(wrong.message).not.toContain('EAAwrong-token');
    expect((await app.api.call('listConnections')).items.length).toBe(before);
  });

  it('creates an active connection from verified credentials and reconnects the same user only', async () => {
    const alexToken = await sandboxToken('alex@example.com');
    const created = await app.api.call('createConnection', {
      body: { dataSource: 'meta-ads-token', credentials: { accessToken: alexToken } },
    });
    expect(created.authorizationUrl).toBeNull();
    expect(created.connection).toMatchObject({ status: 'active', businessAccount: 'alex@example.com' });
    const id = created.connection.id;
    const ready = await waitFor(
      () => app.api.call('getConnection', { params: { id } }),
      (connection) => connection.accountStatus !== 'loading',
    );
    expect([ready.accountStatus, ready.accountsCount, ready.configuration.authType]).toEqual([
      'ready',
      3,
      'api_key',
    ]);

    const noraToken = await sandboxToken('nora@example.com');
    const mismatch = await failure(
      app.api.call('reconnectConnection', {
        params: { id },
        body: { credentials: { accessToken: noraToken } },
      }),
    );
    expect([mismatch.status, mismatch.code]).toEqual([409, 'business_account_mismatch']);
    const again = await app.api.call('reconnectConnection', {
      params: { id },
      body: { credentials: { accessToken: await sandboxToken('alex@example.com') } },
    });
    expect(again.connection).toMatchObject({ id, status: 'active', businessAccount: 'alex@example.com' });

    const stored = await app.runtime.context.db.query<{ sealed: string }>(
      'SELECT sealed FROM credentials WHERE connection_id = $1',
      [id],
    );
    expect(stored[0]?.sealed).toMatch(/^v1\./);
    expect(stored[0]?.sealed).not.toContain(alexToken);
  });
});
