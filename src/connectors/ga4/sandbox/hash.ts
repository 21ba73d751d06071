/**
 * Deterministic numbers for the seed and the generated traffic: everything the sandbox serves is a pure function
 * of fixed labels, so two starts (or two servers) agree on every id and every cell without shared state.
 */
import { createHash } from 'node:crypto';

/** Four 32-bit words of the SHA-256 of `label`. */
function words(label: string): [number, number, number, number] {
  const digest = createHash('sha256').update(label).digest();
  return [digest.readUInt32BE(0), digest.readUInt32BE(4), digest.readUInt32BE(8), digest.readUInt32BE(12)];
}

/**
 * A PRNG in [0, 1) seeded by a label (the sfc32 generator): the same label always yields the same sequence.
 * Never used for secrets.
 */
export function seededRandom(label: string): () => number {
  let [a, b, c, d] = words(label);
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

/**
 * A decimal id of `length` digits (no leading zero) for a label, unique within `used`. GA4 account and property
 * ids are 8–10 digit numbers; Google user ids (`sub`) are 21 digits.
 */
export function numericId(label: string, length: number, used: Set<string>): string {
  for (let attempt = 0; ; attempt += 1) {
    const digest = createHash('sha256').update(`${label}/${attempt}`).digest('hex');
    const digits = BigInt(`0x${digest}`)
      .toString()
      .slice(0, length - 1);
    const id = `${1 + (Number.parseInt(digest.slice(0, 2), 16) % 9)}${digits}`;
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}
