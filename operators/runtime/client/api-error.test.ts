import { describe, expect, it } from "vitest";
import { ApiError, isAlreadyExists, isConflict, isGone, isNamespaceTerminating, isNotFound } from "./api-error.ts";

describe("ApiError", () => {
  it("takes code, reason, message and details from a Status body", () => {
    const err = ApiError.fromResponse(422, JSON.stringify({ kind: "Status", code: 422, reason: "Invalid", message: "bad", details: { causes: [{ field: "spec.replicas" }] } }));
    expect(err).toMatchObject({ code: 422, reason: "Invalid", message: "bad", details: { causes: [{ field: "spec.replicas" }] } });
  });

  it("falls back to the HTTP code's reason for other bodies", () => {
    expect(ApiError.fromResponse(404, "")).toMatchObject({ code: 404, reason: "NotFound", message: "HTTP 404" });
    expect(ApiError.fromResponse(410, "{}")).toMatchObject({ code: 410, reason: "Gone" });
  });

  it("tells conflicts from already-exists, both 409", () => {
    const conflict = ApiError.fromStatus({ code: 409, reason: "Conflict" });
    const exists = ApiError.fromStatus({ code: 409, reason: "AlreadyExists" });
    expect([isConflict(conflict), isAlreadyExists(conflict)]).toEqual([true, false]);
    expect([isConflict(exists), isAlreadyExists(exists)]).toEqual([false, true]);
    expect(isNotFound(ApiError.fromStatus({ code: 404 }))).toBe(true);
    expect(isGone(ApiError.fromStatus({ code: 410, reason: "Expired" }))).toBe(true);
    expect(isConflict(new Error("409"))).toBe(false);
  });

  it("recognises a create refused in a terminating namespace by its cause, not its message", () => {
    const terminating = ApiError.fromStatus({ code: 403, reason: "Forbidden", details: { causes: [{ reason: "NamespaceTerminating" }] } });
    expect(isNamespaceTerminating(terminating)).toBe(true);
    expect(isNamespaceTerminating(ApiError.fromStatus({ code: 403, reason: "Forbidden", message: "namespace x is being terminated" }))).toBe(false);
  });
});
