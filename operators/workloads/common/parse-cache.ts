// Parsing cached objects once. An informer replaces an object on every
// change and never mutates one in place, so the raw object's identity is a
// sound cache key: a reconcile that reads a thousand pods parses only the ones
// that changed since the last reconcile, and the entries die with the objects.
import type { z } from "zod";
import { parseObject } from "../../api/index.ts";
import type { KindInfo, ParseResult } from "../../api/index.ts";

export type CachedParser<T> = (raw: object) => ParseResult<T>;

/** parseObject for `kind`, memoised per raw object. Callers must not mutate what it returns. */
export function cachedParser<S extends z.ZodType>(kind: KindInfo<S>): CachedParser<z.output<S>> {
  const cache = new WeakMap<object, ParseResult<z.output<S>>>();
  return (raw) => {
    let result = cache.get(raw);
    if (!result) {
      result = parseObject(kind, raw);
      cache.set(raw, result);
    }
    return result;
  };
}
