/**
 * Deterministic numbers for the seed and the generated delivery. Everything the sandbox reports is a pure
 * function of labels (ids, dates), so two servers or two runs agree exactly without shared state.
 */

/** FNV-1a over UTF-16 units, then a murmur-style finalizer: a well-spread unsigned 32-bit hash. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    h ^= text.charCodeAt(index);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A PRNG (xorshift32 over a hashed seed) yielding numbers in [0, 1); never used for secrets. */
export function seededRandom(label: string): () => number {
  let state = hash32(label) || 0x9e3779b9;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

/**
 * A 9-digit id (LinkedIn's longs look like `507404993`) for a label, unique within `used`. The first digit
 * is `lead`, so ids of different kinds never collide.
 */
export function numericId(label: string, lead: number, used: Set<number>): number {
  for (let attempt = 0; ; attempt += 1) {
    const id = lead * 100_000_000 + (hash32(`${label}#${attempt}`) % 100_000_000);
    if (!used.has(id)) {
      used.add(id);
      return id;
    }
  }
}
