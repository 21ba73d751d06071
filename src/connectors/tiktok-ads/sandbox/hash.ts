/**
 * Deterministic hashing for the seed and the generated report data. Everything the sandbox reports is a
 * pure function of ids and dates, so two servers (or two runs) agree to the cent without shared state.
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

/** mulberry32: tiny PRNG, good enough to spread seeded values; never used for secrets. */
function mulberry32(seed: number): () => number {
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

/**
 * A 16-digit numeric id for a label, unique within `used`. TikTok ids are numeric; 16 digits below
 * 2^53 stay exact when TikTok sends them as JSON numbers (as it does for some report fields).
 */
export function numericId(label: string, prefix: string, used: Set<string>): string {
  for (let attempt = 0; ; attempt += 1) {
    const digits = 16 - prefix.length;
    const id = `${prefix}${String(hash53(`${label}/${attempt}`) % 10 ** digits).padStart(digits, '0')}`;
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}
