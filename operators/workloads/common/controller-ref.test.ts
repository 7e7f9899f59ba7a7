import { describe, expect, it } from "vitest";
import { apiGroupOf, getControllerOf, isControlledBy, newControllerRef } from "./controller-ref.ts";

describe("controller references", () => {
  const kind = { apiVersion: "apps.mirrorkube.dev/v1alpha1", kind: "ReplicaSet" };

  it("makes a controller reference that blocks the owner's foreground deletion", () => {
    expect(newControllerRef({ metadata: { name: "web", uid: "u1" } }, kind)).toEqual({ ...kind, name: "web", uid: "u1", controller: true, blockOwnerDeletion: true });
    expect(() => newControllerRef({ metadata: { name: "web" } }, kind)).toThrow(/name and uid/);
  });

  it("finds the one reference with controller: true", () => {
    const plain = { ...kind, name: "a", uid: "u0" };
    const ctrl = { ...kind, name: "b", uid: "u1", controller: true };
    const obj = { metadata: { ownerReferences: [plain, ctrl] } };
    expect(getControllerOf(obj)).toBe(ctrl);
    expect(getControllerOf({ metadata: { ownerReferences: [plain] } })).toBeUndefined();
    expect(isControlledBy(obj, "u1")).toBe(true);
    expect(isControlledBy(obj, "u0")).toBe(false);
  });

  it("reads the group of an apiVersion", () => {
    expect(apiGroupOf("apps.mirrorkube.dev/v1alpha1")).toBe("apps.mirrorkube.dev");
    expect(apiGroupOf("v1")).toBe("");
  });
});
