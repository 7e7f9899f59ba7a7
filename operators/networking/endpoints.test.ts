import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { kinds, mustParse, type Pod, type Service } from "../api/index.ts";
import { endpointSlices, findPort, selectsPods } from "./endpoints.ts";

type Json = Record<string, unknown>;

function service(spec: Json = {}): Service {
  return mustParse(kinds.Service, {
    metadata: { name: "web", namespace: "ns", uid: "svc-uid" },
    spec: { selector: { app: "web" }, ports: [{ name: "http", port: 80, targetPort: "http" }], ...spec },
  });
}

function pod(name: string, o: { ip?: string; ready?: boolean; phase?: string; deleting?: boolean; node?: string; ports?: Json[]; spec?: Json; ips?: string[] } = {}): Pod {
  const ip = o.ip === undefined ? `10.0.0.${name.length}` : o.ip;
  return mustParse(kinds.Pod, {
    metadata: { name, namespace: "ns", uid: `uid-${name}`, labels: { app: "web" }, ...(o.deleting && { deletionTimestamp: "2024-05-01T12:00:00Z" }) },
    spec: { nodeName: o.node ?? "node-a", containers: [{ name: "app", image: "x", ports: o.ports ?? [{ name: "http", containerPort: 8080 }] }], ...o.spec },
    status: {
      phase: o.phase ?? "Running",
      ...(ip && { podIP: ip }),
      ...(o.ips && { podIPs: o.ips.map((i) => ({ ip: i })) }),
      conditions: [{ type: "Ready", status: o.ready === false ? "False" : "True" }],
    },
  });
}

const zones = (node: string) => (node === "node-a" ? "zone-a" : undefined);

describe("findPort", () => {
  it("uses a number as is and resolves a name by container port name and protocol", () => {
    const p = pod("a", { ports: [{ name: "dns", containerPort: 53, protocol: "UDP" }, { name: "dns", containerPort: 5353 }] });
    const svc = service();
    expect(findPort(p, { ...svc.spec.ports![0]!, targetPort: 9000 })).toBe(9000);
    expect(findPort(p, { name: "d", port: 53, protocol: "TCP", targetPort: "dns" })).toBe(5353);
    expect(findPort(p, { name: "d", port: 53, protocol: "UDP", targetPort: "dns" })).toBe(53);
    expect(findPort(p, { name: "d", port: 53, protocol: "TCP", targetPort: "http" })).toBeUndefined();
  });

  it("finds ports of sidecars (restartable init containers), not of plain init containers", () => {
    const p = pod("a", {
      ports: [],
      spec: {
        initContainers: [
          { name: "init", image: "x", ports: [{ name: "http", containerPort: 1 }] },
          { name: "side", image: "x", restartPolicy: "Always", ports: [{ name: "http", containerPort: 2 }] },
        ],
      },
    });
    expect(findPort(p, service().spec.ports![0]!)).toBe(2);
  });
});

describe("endpointSlices", () => {
  it("groups endpoints by resolved port set; a pod lacking a named port is left out of that port", () => {
    const svc = service({ ports: [{ name: "http", port: 80, targetPort: "http" }, { name: "m", port: 9090, targetPort: 9100 }] });
    const slices = endpointSlices(svc, [pod("a"), pod("b", { ports: [{ name: "http", containerPort: 8081 }] }), pod("c", { ports: [] }), pod("aa")], zones);
    expect(slices.map((s) => [s.ports?.map((p) => `${p.name}:${p.port}`).join(","), s.endpoints.map((e) => e.targetRef?.name)])).toEqual([
      ["http:8080,m:9100", ["a", "aa"]],
      ["http:8081,m:9100", ["b"]],
      ["m:9100", ["c"]],
    ]);
  });

  it("writes upstream's endpoint: conditions, node, zone, targetRef", () => {
    const [slice] = endpointSlices(service(), [pod("a", { ip: "10.1.2.3" })], zones);
    expect(slice).toEqual({
      addressType: "IPv4",
      ports: [{ name: "http", port: 8080, protocol: "TCP" }],
      endpoints: [
        {
          addresses: ["10.1.2.3"],
          conditions: { ready: true, serving: true, terminating: false },
          nodeName: "node-a",
          zone: "zone-a",
          targetRef: { kind: "Pod", namespace: "ns", name: "a", uid: "uid-a" },
        },
      ],
    });
  });

  it("leaves out terminal pods and pods without an IP; keeps terminating pods, never ready unless published", () => {
    const pods = [pod("done", { phase: "Succeeded" }), pod("failed", { phase: "Failed" }), pod("noip", { ip: "" }), pod("bye", { deleting: true }), pod("sick", { ready: false })];
    const conditions = (svc: Service) => Object.fromEntries(endpointSlices(svc, pods, zones).flatMap((s) => s.endpoints).map((e) => [e.targetRef?.name, e.conditions]));
    expect(conditions(service())).toEqual({
      bye: { ready: false, serving: true, terminating: true },
      sick: { ready: false, serving: false, terminating: false },
    });
    expect(conditions(service({ publishNotReadyAddresses: true }))).toEqual({
      bye: { ready: true, serving: true, terminating: true },
      sick: { ready: true, serving: false, terminating: false },
    });
  });

  it("sets hostname only for a pod whose subdomain is the service", () => {
    const named = pod("a", { spec: { hostname: "a-host", subdomain: "web" } });
    const other = pod("b", { spec: { hostname: "b-host", subdomain: "other" } });
    const eps = endpointSlices(service(), [named, other], zones).flatMap((s) => s.endpoints);
    expect(eps.map((e) => e.hostname)).toEqual(["a-host", undefined]);
  });

  it("publishes one slice per address type of a dual-stack service", () => {
    const svc = service({ ipFamilies: ["IPv4", "IPv6"] });
    const slices = endpointSlices(svc, [pod("a", { ip: "10.0.0.1", ips: ["10.0.0.1", "fd00::1"] })], zones);
    expect(slices.map((s) => [s.addressType, s.endpoints[0]?.addresses])).toEqual([
      ["IPv4", ["10.0.0.1"]],
      ["IPv6", ["fd00::1"]],
    ]);
  });

  it("never puts more than 100 endpoints in a slice, and loses none", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 350 }), fc.integer({ min: 1, max: 3 }), (n, portVariants) => {
        const pods = Array.from({ length: n }, (_, i) => pod(`p${i}`, { ip: `10.${i >> 8}.${i & 255}.1`, ports: [{ name: "http", containerPort: 8000 + (i % portVariants) }] }));
        const slices = endpointSlices(service(), pods, zones);
        expect(slices.every((s) => s.endpoints.length >= 1 && s.endpoints.length <= 100)).toBe(true);
        expect(slices.flatMap((s) => s.endpoints).length).toBe(n);
      }),
      { numRuns: 40 },
    );
  });
});

describe("selectsPods", () => {
  it("is false for ExternalName and for a missing or empty selector", () => {
    expect(selectsPods(service())).toBe(true);
    expect(selectsPods(service({ selector: {} }))).toBe(false);
    expect(selectsPods(service({ selector: undefined }))).toBe(false);
    expect(selectsPods(service({ type: "ExternalName", externalName: "a.example" }))).toBe(false);
  });
});
