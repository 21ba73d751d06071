import { describe, expect, it } from 'vitest';
import {
  accountStatusFor,
  accountTransitions,
  assertTransition,
  connectionActions,
  credentialTransitions,
} from './connection.ts';

describe('connection state machines', () => {
  it('allows extraction only for an active connection with accounts', () => {
    expect(connectionActions({ status: 'active', accountsCount: 3 }).extract).toBe(true);
    expect(connectionActions({ status: 'active', accountsCount: 0 }).extract).toBe(false);
    expect(connectionActions({ status: 'error', accountsCount: 3 }).extract).toBe(false);
    expect(connectionActions({ status: 'pending', accountsCount: 0 }).extract).toBe(false);
    expect(connectionActions({ status: 'error', accountsCount: 0 }).reconnect).toBe(true);
  });

  it('refuses illegal transitions', () => {
    expect(() => assertTransition('credential', credentialTransitions, 'active', 'pending')).toThrow(
      /active → pending/,
    );
    expect(() => assertTransition('credential', credentialTransitions, 'error', 'pending')).toThrow();
    expect(() => assertTransition('account', accountTransitions, 'ready', 'loading')).not.toThrow();
  });

  it('maps a discovery result to an account status', () => {
    expect(accountStatusFor(0)).toBe('none');
    expect(accountStatusFor(2)).toBe('ready');
  });
});
