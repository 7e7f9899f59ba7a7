import { pino } from "pino";
import { describe, expect, it, vi } from "vitest";
import { InvalidObjectError } from "../../api/index.ts";
import { INVALID_OBJECT_REASON, InvalidObjectReporter } from "./invalid-object.ts";

describe("InvalidObjectReporter", () => {
  const log = pino({ level: "silent" });
  const error = new InvalidObjectError("ReplicaSet", "ns/web", [{ field: "spec.replicas", message: "Too small" }]);

  it("reports a version once, a new version again, and again after forget", () => {
    const events = { event: vi.fn() };
    const reporter = new InvalidObjectReporter(events);
    const v1 = { metadata: { name: "web", resourceVersion: "1" } };
    reporter.report("ns/web", v1, error, log);
    reporter.report("ns/web", v1, error, log);
    expect(events.event).toHaveBeenCalledTimes(1);
    expect(events.event).toHaveBeenCalledWith(v1, "Warning", INVALID_OBJECT_REASON, 'ReplicaSet "ns/web" is invalid: spec.replicas: Too small');
    reporter.report("ns/web", { metadata: { name: "web", resourceVersion: "2" } }, error, log);
    expect(events.event).toHaveBeenCalledTimes(2);
    reporter.forget("ns/web");
    reporter.report("ns/web", { metadata: { name: "web", resourceVersion: "2" } }, error, log);
    expect(events.event).toHaveBeenCalledTimes(3);
  });
});
