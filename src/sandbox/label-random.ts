/**
 * Deterministic numbers from labels for the sandboxes that hash with cyrb53 and draw with mulberry32 (Meta,
 * TikTok): everything such a sandbox reports is a pure function of ids and dates, so two servers (or two runs)
 * agree to the cent without sharing state. Never used for secrets.
 */

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

/** mulberry32: a tiny PRNG in [0, 1), good enough to spread seeded values. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A PRNG seeded by a label; the same label always yields the same sequence. */
export function seededRandom(label: string): () => number {
  return mulberry32(hash53(label) % 4294967296);
}
