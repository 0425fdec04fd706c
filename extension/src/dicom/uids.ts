/**
 * Deterministic DICOM UIDs: `2.25.<128-bit hash of a seed string, in decimal>` (PS3.5 B.2, UUID-derived
 * root). The same seed always gives the same UID, so regenerated demo studies and re-imported datasets
 * are idempotent in a PACS, and a different seed gives a different UID.
 */

const MASK64 = (1n << 64n) - 1n;
const FNV_PRIME = 0x100000001b3n;

// Hand-written (no hashing library works synchronously in both Node and the browser): two FNV-1a 64-bit
// passes with different offsets, each finalised, concatenated to 128 bits. Not cryptographic; collisions are negligible
// for the number of seeds one PACS holds.
function fnv1a64(text: string, offset: bigint): bigint {
  let hash = offset;
  const bytes = new TextEncoder().encode(text);
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * FNV_PRIME) & MASK64;
  }
  return fmix64(hash);
}

// MurmurHash3's 64-bit finaliser: FNV alone leaves the high bits of similar seeds almost equal.
function fmix64(value: bigint): bigint {
  let k = value;
  k ^= k >> 33n;
  k = (k * 0xff51afd7ed558ccdn) & MASK64;
  k ^= k >> 33n;
  k = (k * 0xc4ceb9fe1a85ec53n) & MASK64;
  k ^= k >> 33n;
  return k;
}

/** A UID under the 2.25 root derived from `seed` (at most 44 characters). */
export function uidFromSeed(seed: string): string {
  const high = fnv1a64(seed, 0xcbf29ce484222325n);
  const low = fnv1a64(`${seed}\u0000${high}`, 0x84222325cbf29ce4n);
  const value = (high << 64n) | low;
  return `2.25.${value.toString(10)}`;
}

/** A random UID under the 2.25 root (for objects that must be new each time, e.g. SR revisions). */
export function randomUid(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return `2.25.${value.toString(10)}`;
}
