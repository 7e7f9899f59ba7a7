// Label and node selectors compiled once per pod, with upstream's edge
// semantics (k8s.io/apimachinery labels, component-helpers nodeaffinity):
// a nil LabelSelector matches nothing, an empty one matches everything, and
// a NodeSelector term that fails to parse never matches.
import type { LabelSelectorLike, LabelSelectorRequirementLike, NodeSelectorTermLike, PodLike } from "./objects.ts";
import { OBJECT_NAME_FIELD } from "./objects.ts";

export type Labels = Readonly<Record<string, string>>;

interface Requirement {
  readonly key: string;
  readonly op: string;
  readonly values: readonly string[];
}

export type Selector =
  | { readonly kind: "nothing" }
  | { readonly kind: "everything" }
  | { readonly kind: "requirements"; readonly requirements: readonly Requirement[] };

export const NOTHING: Selector = { kind: "nothing" };
export const EVERYTHING: Selector = { kind: "everything" };

function has(labels: Labels, key: string): boolean {
  return Object.hasOwn(labels, key);
}

const INT64 = /^[+-]?[0-9]+$/;

function requirementMatches(r: Requirement, labels: Labels): boolean {
  switch (r.op) {
    case "In":
      return has(labels, r.key) && r.values.includes(labels[r.key] ?? "");
    case "NotIn":
      return !has(labels, r.key) || !r.values.includes(labels[r.key] ?? "");
    case "Exists":
      return has(labels, r.key);
    case "DoesNotExist":
      return !has(labels, r.key);
    case "Gt":
    case "Lt": {
      // Both sides must be integers; BigInt keeps int64 comparisons exact.
      const value = labels[r.key];
      const bound = r.values[0];
      if (value === undefined || bound === undefined || !INT64.test(value) || !INT64.test(bound)) return false;
      return r.op === "Gt" ? BigInt(value) > BigInt(bound) : BigInt(value) < BigInt(bound);
    }
    default:
      return false;
  }
}

function requirementsOf(selector: LabelSelectorLike): Requirement[] {
  const out: Requirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({
    key,
    op: "In",
    values: [value],
  }));
  for (const e of selector.matchExpressions ?? []) out.push({ key: e.key, op: e.operator, values: e.values ?? [] });
  return out;
}

/** metav1.LabelSelectorAsSelector: undefined → nothing, {} → everything. */
export function compileLabelSelector(selector: LabelSelectorLike | undefined | null): Selector {
  if (!selector) return NOTHING;
  const requirements = requirementsOf(selector);
  return requirements.length === 0 ? EVERYTHING : { kind: "requirements", requirements };
}

export function matchesSelector(selector: Selector, labels: Labels): boolean {
  switch (selector.kind) {
    case "nothing":
      return false;
    case "everything":
      return true;
    case "requirements":
      // A plain loop: this runs for every pod on every node in PreFilter.
      for (const r of selector.requirements) if (!requirementMatches(r, labels)) return false;
      return true;
  }
}

/** labels.Selector.Empty(): true only for "everything". */
export function isEmptySelector(selector: Selector): boolean {
  return selector.kind === "everything";
}

/**
 * Adds `key In (value)` / `key NotIn (value)` requirements for label keys the
 * pod carries (matchLabelKeys / mismatchLabelKeys). Upstream's API server
 * merges these at creation; mirror Pods skip that path, and merging twice
 * adds nothing, so the scheduler merges again.
 */
export function withLabelKeys(
  selector: Selector,
  podLabels: Labels,
  matchKeys: readonly string[] = [],
  mismatchKeys: readonly string[] = [],
): Selector {
  if (selector.kind === "nothing") return selector;
  const extra: Requirement[] = [];
  for (const key of matchKeys) if (has(podLabels, key)) extra.push({ key, op: "In", values: [podLabels[key] ?? ""] });
  for (const key of mismatchKeys) if (has(podLabels, key)) extra.push({ key, op: "NotIn", values: [podLabels[key] ?? ""] });
  if (extra.length === 0) return selector;
  const base = selector.kind === "requirements" ? selector.requirements : [];
  return { kind: "requirements", requirements: [...extra, ...base] };
}

// --- Node selectors ---

export interface NodeFacts {
  readonly name: string;
  readonly labels: Labels;
}

interface CompiledTerm {
  readonly labels: readonly Requirement[];
  readonly fields: readonly Requirement[];
  readonly valid: boolean;
}

const SET_OPS = new Set(["In", "NotIn"]);
const PRESENCE_OPS = new Set(["Exists", "DoesNotExist"]);

function validLabelRequirement(r: LabelSelectorRequirementLike): boolean {
  const n = r.values?.length ?? 0;
  if (SET_OPS.has(r.operator)) return n > 0;
  if (PRESENCE_OPS.has(r.operator)) return n === 0;
  if (r.operator === "Gt" || r.operator === "Lt") return n === 1 && INT64.test(r.values?.[0] ?? "");
  return false;
}

function validFieldRequirement(r: LabelSelectorRequirementLike): boolean {
  // Only metadata.name, with In/NotIn of exactly one value (nodeSelectorRequirementsAsFieldSelector).
  return r.key === OBJECT_NAME_FIELD && SET_OPS.has(r.operator) && r.values?.length === 1;
}

export function isEmptyNodeSelectorTerm(term: NodeSelectorTermLike): boolean {
  return (term.matchExpressions?.length ?? 0) === 0 && (term.matchFields?.length ?? 0) === 0;
}

function compileTerm(term: NodeSelectorTermLike): CompiledTerm {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  return {
    labels: expressions.map((e) => ({ key: e.key, op: e.operator, values: e.values ?? [] })),
    fields: fields.map((e) => ({ key: e.key, op: e.operator, values: e.values ?? [] })),
    valid: expressions.every(validLabelRequirement) && fields.every(validFieldRequirement),
  };
}

function termMatches(term: CompiledTerm, node: NodeFacts): boolean {
  if (!term.valid) return false;
  if (!term.labels.every((r) => requirementMatches(r, node.labels))) return false;
  const fields = { [OBJECT_NAME_FIELD]: node.name };
  return term.fields.every((r) => requirementMatches(r, fields));
}

/** A v1.NodeSelector: terms ORed, empty terms skipped, so only empty terms match nothing. */
export class NodeSelectorMatcher {
  private readonly terms: readonly CompiledTerm[];
  constructor(terms: readonly NodeSelectorTermLike[]) {
    this.terms = terms.filter((t) => !isEmptyNodeSelectorTerm(t)).map(compileTerm);
  }
  matches(node: NodeFacts): boolean {
    return this.terms.some((t) => termMatches(t, node));
  }
}

/** Preferred terms: the sum of the weights of the terms a node matches. */
export class PreferredTermsScorer {
  private readonly terms: readonly { weight: number; term: CompiledTerm }[];
  constructor(terms: readonly { weight: number; preference: NodeSelectorTermLike }[]) {
    this.terms = terms
      .filter((t) => t.weight !== 0 && !isEmptyNodeSelectorTerm(t.preference))
      .map((t) => ({ weight: t.weight, term: compileTerm(t.preference) }));
  }
  get empty(): boolean {
    return this.terms.length === 0;
  }
  score(node: NodeFacts): number {
    let total = 0;
    for (const t of this.terms) if (termMatches(t.term, node)) total += t.weight;
    return total;
  }
}

/**
 * The pod's spec.nodeSelector AND its required node affinity (upstream
 * nodeaffinity.GetRequiredNodeAffinity).
 */
export class RequiredNodeAffinity {
  private readonly selector: Selector | undefined;
  private readonly affinity: NodeSelectorMatcher | undefined;

  constructor(pod: PodLike) {
    const ns = pod.spec?.nodeSelector;
    this.selector = ns ? compileLabelSelector({ matchLabels: ns }) : undefined;
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    this.affinity = required ? new NodeSelectorMatcher(required.nodeSelectorTerms) : undefined;
  }

  matches(node: NodeFacts): boolean {
    if (this.selector && !matchesSelector(this.selector, node.labels)) return false;
    return !this.affinity || this.affinity.matches(node);
  }
}
