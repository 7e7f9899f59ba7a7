// The string form of a label selector, as kubectl's -l takes it, parsed into
// a metav1.LabelSelector (for flags that scope a webhook to namespaces).
import type { LabelSelectorSpec } from "./configuration.ts";

type Requirement = NonNullable<LabelSelectorSpec["matchExpressions"]>[number];

/** Commas split requirements except inside the parentheses of a set. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = "";
  for (const c of text) {
    if (c === "(") depth++;
    if (c === ")") depth--;
    if (c === "," && depth === 0) {
      terms.push(current);
      current = "";
    } else current += c;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter(Boolean);
}

function parseTerm(term: string): Requirement {
  const set = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set) {
    const values = (set[3] ?? "").split(",").map((v) => v.trim()).filter(Boolean);
    return { key: set[1] ?? "", operator: set[2] === "in" ? "In" : "NotIn", values };
  }
  const inequality = /^([^\s!=()]+)\s*!=\s*([^\s!=()]*)$/.exec(term);
  if (inequality) return { key: inequality[1] ?? "", operator: "NotIn", values: [inequality[2] ?? ""] };
  const equality = /^([^\s!=()]+)\s*==?\s*([^\s!=()]*)$/.exec(term);
  if (equality) return { key: equality[1] ?? "", operator: "In", values: [equality[2] ?? ""] };
  const absent = /^!\s*([^\s!=()]+)$/.exec(term);
  if (absent) return { key: absent[1] ?? "", operator: "DoesNotExist" };
  if (/^[^\s!=()]+$/.test(term)) return { key: term, operator: "Exists" };
  throw new Error(`unable to parse the label selector requirement "${term}"`);
}

/** "a=b,c!=d,!e,f in (x,y)"; "" selects everything. Throws on a term it cannot read. */
export function parseLabelSelector(text: string): LabelSelectorSpec {
  const requirements = splitTerms(text).map(parseTerm);
  return requirements.length > 0 ? { matchExpressions: requirements } : {};
}
