import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../domain/loopback.ts';
import { type AllowedHosts, configuredBaseUrl } from './base-url.ts';

const HOSTS = ['graph.facebook.com', 'www.facebook.com'];
const sandboxOff = { sandboxBaseUrl: () => null };
const sandboxOn = { sandboxBaseUrl: () => 'http://127.0.0.1:4400/sandbox/meta-ads' };

function check(value: string, environment: AllowedHosts['environment'] = sandboxOff) {
  return () =>
    configuredBaseUrl(value, 'https://graph.facebook.com', 'META_GRAPH_BASE_URL', {
      hosts: HOSTS,
      environment,
    });
}

describe('configuredBaseUrl with allowed hosts', () => {
  it('takes the fallback unchecked and an override on an allowed host over https', () => {
    expect(
      configuredBaseUrl(undefined, 'https://graph.facebook.com/', 'X', {
        hosts: HOSTS,
        environment: sandboxOff,
      }),
    ).toBe('https://graph.facebook.com');
    expect(check('https://www.facebook.com/')()).toBe('https://www.facebook.com');
    expect(check('https://GRAPH.facebook.com')()).toBe('https://GRAPH.facebook.com');
  });

  it.each([
    ['http://169.254.169.254', 'not one of the provider'],
    ['http://[fd00:ec2::254]', 'not one of the provider'],
    ['http://10.0.0.1', 'not one of the provider'],
    ['https://evil.example', 'not one of the provider'],
    ['https://graph.facebook.com.evil.example', 'not one of the provider'],
    ['http://2852039166/', 'not one of the provider'],
    ['http://graph.facebook.com', 'must use https'],
    ['https://graph.facebook.com:8443', 'must not name a port'],
    ['https://user:pw@graph.facebook.com', 'user name or password'],
    ['file:///etc/passwd', 'absolute http(s) URL'],
    ['http://127.0.0.1:9', 'loopback'],
    ['http://localhost:9', 'loopback'],
    ['http://[::1]:9', 'loopback'],
  ])('refuses %s with the variable and the allowed hosts', (value, reason) => {
    expect(check(value)).toThrow(
      expect.objectContaining({
        code: 'provider_not_configured',
        message: expect.stringContaining(reason),
        details: expect.objectContaining({ variable: 'META_GRAPH_BASE_URL' }),
      }),
    );
    try {
      check(value)();
    } catch (error) {
      expect((error as Error).message).toMatch(/^META_GRAPH_BASE_URL /);
    }
  });

  it('allows loopback while the sandbox is on or when allowed explicitly, and nothing else more', () => {
    expect(check('http://127.0.0.1:9/', sandboxOn)()).toBe('http://127.0.0.1:9');
    expect(check('http://localhost:9', { ...sandboxOff, allowLoopbackHosts: true })()).toBe(
      'http://localhost:9',
    );
    expect(check('http://169.254.169.254', sandboxOn)).toThrow(/not one of the provider/);
    expect(check('http://10.0.0.1', { ...sandboxOff, allowLoopbackHosts: true })).toThrow(
      /not one of the provider/,
    );
  });

  it('recognizes loopback hosts as URL normalizes them', () => {
    expect(isLoopbackHost(new URL('http://127.1').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://[::1]').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://localhost.evil.example').hostname)).toBe(false);
    expect(isLoopbackHost(new URL('http://0.0.0.0').hostname)).toBe(false);
    expect(isLoopbackHost(new URL('http://[::ffff:127.0.0.1]').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://[0:0:0:0:0:0:0:1]').hostname)).toBe(true);
  });

  it('allows a bracketed IPv6 loopback override with the sandbox on, and refuses it with the sandbox off', () => {
    expect(check('http://[::1]:9', sandboxOn)()).toBe('http://[::1]:9');
    expect(check('http://[::1]:9', sandboxOff)).toThrow(/loopback/);
  });
});
