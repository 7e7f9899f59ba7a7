// Parsing one watch line into an event. Pure: the reflector decides what a
// line that does not parse costs (a log line and a counter, never silence).
import { isNamedObject, isRecord } from "../client/types.ts";
import type { NamedObject, Status } from "../client/types.ts";

export type WatchEvent =
  | { type: "ADDED" | "MODIFIED" | "DELETED"; object: NamedObject }
  | { type: "BOOKMARK"; resourceVersion: string }
  | { type: "ERROR"; status: Status };

export type ParsedLine = { ok: true; event: WatchEvent } | { ok: false; reason: string };

export function parseWatchLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  if (!isRecord(value)) return { ok: false, reason: "not a JSON object" };
  const { type, object } = value;
  switch (type) {
    case "ADDED":
    case "MODIFIED":
    case "DELETED":
      return isNamedObject(object) ? { ok: true, event: { type, object } } : { ok: false, reason: `${type} event without a named object` };
    case "BOOKMARK": {
      const rv = isRecord(object) && isRecord(object.metadata) ? object.metadata.resourceVersion : undefined;
      return typeof rv === "string" && rv !== ""
        ? { ok: true, event: { type, resourceVersion: rv } }
        : { ok: false, reason: "BOOKMARK event without metadata.resourceVersion" };
    }
    case "ERROR":
      return isRecord(object) ? { ok: true, event: { type, status: object as Status } } : { ok: false, reason: "ERROR event without a Status" };
    default:
      return { ok: false, reason: `unknown event type ${JSON.stringify(type)}` };
  }
}
