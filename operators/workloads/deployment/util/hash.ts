import type { PodTemplateSpec } from "../../../api/index.ts";

// Our own pod-template-hash. Upstream hashes a spew dump of the Go struct,
// which TypeScript cannot reproduce; what matters is that the hash is
// stable for one template and changes with it, so a canonical JSON stands in
// for the dump. The rest is upstream's controller.ComputeHash: FNV-32a, the
// collision count appended, the decimal digits encoded with SafeEncodeString.

const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/**
 * The canonical form of a JSON value: object keys sorted, and absent, null,
 * empty-list and empty-map values dropped, because Go's semantic equality
 * treats a nil slice or map as equal to an empty one and the API server
 * may or may not keep an empty one.
 */
export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = canonicalize((value as Record<string, unknown>)[key]);
      if (isEmpty(v)) continue;
      out[key] = v;
    }
    return out;
  }
  return value;
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === "object" && Object.keys(v).length === 0;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonicalize(value) ?? null);
}

/** FNV-1a, 32 bits, over bytes (hash/fnv New32a). */
export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h >>> 0;
}

/** k8s.io/apimachinery/pkg/util/rand SafeEncodeString: no vowels, no look-alikes, so no words. */
export function safeEncodeString(s: string): string {
  let out = "";
  for (const ch of s) out += SAFE_ALPHABET[(ch.codePointAt(0) ?? 0) % SAFE_ALPHABET.length];
  return out;
}

/** The pod-template-hash of a template, and of the same template after `collisionCount` name collisions. */
export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  const data = new TextEncoder().encode(canonicalJson(template));
  let h = fnv32a(data);
  if (collisionCount !== undefined) {
    // As upstream: the count as a little-endian uint32 in an 8-byte buffer.
    const extra = new Uint8Array(8);
    new DataView(extra.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(extra, h);
  }
  return safeEncodeString(String(h));
}
