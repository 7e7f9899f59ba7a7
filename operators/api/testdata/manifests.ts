import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

type Manifest = Record<string, unknown> & { kind: string; metadata: { name: string } };

/** The documents of a testdata file. */
export function manifests(file: string): Manifest[] {
  const text = readFileSync(new URL(file, import.meta.url), "utf8");
  return parseAllDocuments(text).map((d) => d.toJS() as Manifest);
}

/** The one document of a testdata file with the given kind; a fresh copy each call, so tests may mutate it. */
export function manifest(file: string, kind: string): Manifest {
  const found = manifests(file).find((m) => m.kind === kind);
  if (!found) throw new Error(`no ${kind} in ${file}`);
  return found;
}
