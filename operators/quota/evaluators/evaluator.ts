// What quota knows about one kind (upstream quota/v1 Evaluator): which quota
// resources it feeds, how much one object uses, whether a quota's scopes
// select it, and what an object must declare to be admitted.
import type { KindInfo } from "../../api/index.ts";
import { Quantity } from "../../common/quantity.ts";
import type { KubeObject } from "../../runtime/client/index.ts";
import type { Operation } from "../../runtime/webhook/admission.ts";
import { objectCountNames } from "../resource-names.ts";

export type Usage = Map<string, Quantity>;

/** A scope of a quota as a selector requirement (spec.scopes become Exists requirements). */
export interface ScopeRequirement {
  scopeName: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

/** An object as stored (JSON): evaluators read what they need of it. */
export type QuotaObject = KubeObject & { spec?: unknown; status?: unknown };

export interface Evaluator {
  /** The mirror kind it evaluates. */
  kind: KindInfo;
  /** Whether an admission of this operation can change usage (upstream Handles). */
  handles(operation: Operation): boolean;
  /** The subset of `names` this kind feeds. */
  matchingResources(names: readonly string[]): string[];
  /** Whether the object falls under one scope of a quota; kinds without scopes match none. */
  matchesScope(scope: ScopeRequirement, obj: QuotaObject, now: Date): boolean;
  /** An error text when the object lacks what `required` resources demand (upstream Constraints). */
  constraints(required: readonly string[], obj: QuotaObject): string | undefined;
  usage(obj: QuotaObject, now: Date): Usage;
  /** The object as quota must see it (defaults applied); the raw object when it does not parse. */
  normalize(raw: QuotaObject): QuotaObject;
}

export const ONE = Quantity.fromValue(1);

/** The scopes of a quota, spec.scopes as Exists requirements first (upstream getScopeSelectorsFromQuota). */
export function quotaScopes(spec: { scopes?: readonly string[]; scopeSelector?: { matchExpressions?: readonly ScopeRequirement[] } }): ScopeRequirement[] {
  return [...(spec.scopes ?? []).map((scopeName) => ({ scopeName, operator: "Exists" as const })), ...(spec.scopeSelector?.matchExpressions ?? [])];
}

/** Upstream generic.Matches: the quota tracks something of this kind, and every scope selects the object. */
export function matches(evaluator: Evaluator, hardNames: readonly string[], scopes: readonly ScopeRequirement[], obj: QuotaObject, now: Date): boolean {
  return evaluator.matchingResources(hardNames).length > 0 && scopes.every((s) => evaluator.matchesScope(s, obj, now));
}

/** Sum of usages. */
export function addUsage(into: Usage, add: Usage): void {
  for (const [name, q] of add) {
    const had = into.get(name);
    into.set(name, had ? had.add(q) : q);
  }
}

/**
 * Upstream's object count evaluator: count/<resource>.<group>, plus a legacy
 * name (resourcequotas), charged on create only.
 */
export function objectCountEvaluator(kind: KindInfo, legacyName?: string): Evaluator {
  const names = [...objectCountNames(kind), ...(legacyName ? [legacyName] : [])];
  return {
    kind,
    handles: (operation) => operation === "CREATE",
    matchingResources: (input) => input.filter((n) => names.includes(n)),
    matchesScope: () => false,
    constraints: () => undefined,
    usage: () => new Map(names.map((n) => [n, ONE])),
    normalize: (raw) => raw,
  };
}
