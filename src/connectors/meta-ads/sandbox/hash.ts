/**
 * Deterministic hashing for the generated insights data. Everything the sandbox reports is a pure
 * function of ids and dates, so two servers (or two runs) agree to the cent without sharing state.
 */
import { mulberry32 } from './seed.ts';

/** cyrb53: a fast 53-bit string hash, well spread and safe as a JavaScript integer. */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A PRNG seeded by a label; the same label always yields the same sequence. */
export function seededRandom(label: string): () => number {
  return mulberry32(hash53(label) % 4294967296);
}

/** A uniform float in [0, 1) for a label, for one-off choices. */
export function unitHash(label: string): number {
  return hash53(label) / 9007199254740992;
}
