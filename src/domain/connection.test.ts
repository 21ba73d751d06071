import { describe, expect, it } from 'vitest';
import {
  accountSkipReason,
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

describe('accountSkipReason', () => {
  const usable = { lostAt: null, selected: true, manager: false, providerStatus: 'active' };
  it('reads an account that is reachable, selected, not a manager and in a reportable status', () => {
    expect(accountSkipReason(usable, ['canceled'])).toBeNull();
  });
  it('names why an account cannot be read, lost access first', () => {
    const lost = new Date('2026-01-01T00:00:00Z');
    expect(accountSkipReason({ ...usable, lostAt: lost, manager: true }, [])).toMatch(/lost/);
    expect(accountSkipReason({ ...usable, manager: true }, [])).toMatch(/manager account/);
    expect(accountSkipReason({ ...usable, providerStatus: 'canceled' }, ['canceled'])).toMatch(
      /no reports for a canceled account/,
    );
    expect(accountSkipReason({ ...usable, providerStatus: 'canceled' }, [])).toBeNull();
    expect(accountSkipReason({ ...usable, selected: false }, [])).toMatch(/no longer selected/);
  });
});
