import { describe, expect, it } from "vitest";
import { describeRef, requestUrl, resourcePath } from "./paths.ts";

const pods = { group: "", version: "v1", plural: "pods", namespaced: true };
const mpv = { group: "core.mirrorkube.dev", version: "v1alpha1", plural: "persistentvolumes", namespaced: false };

describe("resourcePath", () => {
  it("uses /api for the core group and /apis otherwise", () => {
    expect(resourcePath(pods, { namespace: "a", name: "p" })).toBe("/api/v1/namespaces/a/pods/p");
    expect(resourcePath(mpv, { name: "pv1", subresource: "status" })).toBe("/apis/core.mirrorkube.dev/v1alpha1/persistentvolumes/pv1/status");
  });

  it("addresses all namespaces for a namespaced collection without a namespace", () => {
    expect(resourcePath(pods)).toBe("/api/v1/pods");
  });

  it("escapes names and refuses impossible addresses", () => {
    expect(resourcePath(pods, { namespace: "a", name: "x/y" })).toBe("/api/v1/namespaces/a/pods/x%2Fy");
    expect(() => resourcePath(pods, { name: "p" })).toThrow(/namespace is required/);
    expect(() => resourcePath(mpv, { namespace: "a", name: "p" })).toThrow(/cluster-scoped/);
    expect(() => resourcePath(pods, { namespace: "a", name: "" })).toThrow(/empty name/);
  });

  it("names resources as kubectl does", () => {
    expect(describeRef(pods)).toBe("pods");
    expect(describeRef(mpv)).toBe("persistentvolumes.core.mirrorkube.dev");
  });
});

describe("requestUrl", () => {
  it("keeps the server's path prefix and skips undefined query values", () => {
    const url = requestUrl(new URL("https://h:6443/k8s/clusters/c1/"), "/api/v1/pods", { watch: true, limit: undefined });
    expect(url.href).toBe("https://h:6443/k8s/clusters/c1/api/v1/pods?watch=true");
  });
});
