import { describe, expect, it } from 'vitest';
import { forbiddenTargetReason, resolvedTargetReason } from './networkTargets.ts';

describe('forbiddenTargetReason', () => {
  it.each([
    '169.254.169.254',
    '169.254.0.1',
    '[fd00:ec2::254]',
    'fd00:ec2:0::254',
    'fe80::1',
    '[::ffff:169.254.169.254]',
    '::ffff:a9fe:a9fe',
    'metadata.google.internal',
    'METADATA.google.internal.',
    '100.100.100.200',
    '0.0.0.0',
    '::',
    '224.0.0.1',
    'ff02::1',
    '255.255.255.255',
  ])('refuses %s', (host) => {
    expect(forbiddenTargetReason(host)).not.toBeNull();
  });

  it.each([
    '127.0.0.1',
    '::1',
    '10.0.0.1',
    '192.168.1.20',
    '172.16.0.5',
    'fd12:3456::1',
    'db.internal.example',
    'localhost',
    '8.8.8.8',
  ])('allows %s (loopback and private networks are legitimate targets)', (host) => {
    expect(forbiddenTargetReason(host)).toBeNull();
  });

  it('judges a name by what it resolves to', async () => {
    const resolve = async (host: string) =>
      host === 'sneaky.example' ? ['10.0.0.2', '169.254.169.254'] : ['10.0.0.3'];
    expect(await resolvedTargetReason('sneaky.example', resolve)).toMatch(
      /sneaky\.example resolves to 169\.254\.169\.254/,
    );
    expect(await resolvedTargetReason('fine.example', resolve)).toBeNull();
    expect(
      await resolvedTargetReason('gone.example', () => Promise.reject(new Error('ENOTFOUND'))),
    ).toBeNull();
  });
});
