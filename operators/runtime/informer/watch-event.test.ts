import { describe, expect, it } from "vitest";
import { parseWatchLine } from "./watch-event.ts";

describe("parseWatchLine", () => {
  it("parses object events", () => {
    const line = JSON.stringify({ type: "MODIFIED", object: { kind: "Widget", metadata: { name: "a", resourceVersion: "3" } } });
    expect(parseWatchLine(line)).toEqual({ ok: true, event: { type: "MODIFIED", object: { kind: "Widget", metadata: { name: "a", resourceVersion: "3" } } } });
  });

  it("parses a bookmark to its resourceVersion", () => {
    const line = JSON.stringify({ type: "BOOKMARK", object: { kind: "Widget", metadata: { resourceVersion: "42" } } });
    expect(parseWatchLine(line)).toEqual({ ok: true, event: { type: "BOOKMARK", resourceVersion: "42" } });
  });

  it("parses an ERROR event to its Status", () => {
    const line = JSON.stringify({ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired" } });
    expect(parseWatchLine(line)).toEqual({ ok: true, event: { type: "ERROR", status: { kind: "Status", code: 410, reason: "Expired" } } });
  });

  it.each([
    ["not JSON", "{nope", /^not JSON/],
    ["an array", "[1]", /not a JSON object/],
    ["an unknown type", '{"type":"EXPLODED","object":{}}', /unknown event type "EXPLODED"/],
    ["an object without a name", '{"type":"ADDED","object":{"metadata":{"name":""}}}', /without a named object/],
    ["a bookmark without resourceVersion", '{"type":"BOOKMARK","object":{"metadata":{}}}', /without metadata.resourceVersion/],
    ["an ERROR without a Status", '{"type":"ERROR","object":"boom"}', /without a Status/],
  ])("rejects %s with a reason", (_what, line, reason) => {
    const parsed = parseWatchLine(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});
