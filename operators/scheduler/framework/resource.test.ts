import { describe, expect, it } from "vitest";
import { computeNonZeroRequests, computePodRequests, isExtendedResourceName, isScalarResourceName, resourceFromMap } from "./resource.ts";
import { makePod } from "./testing.ts";

describe("computePodRequests (upstream PodRequests)", () => {
  it("sums containers, takes the max with each init container, adds overhead", () => {
    // The example in upstream's computePodResourceRequest comment: result cpu 3, memory 3G.
    const pod = makePod("p", {
      initContainers: [
        { name: "i1", resources: { requests: { cpu: "2", memory: "1G" } } },
        { name: "i2", resources: { requests: { cpu: "2", memory: "3G" } } },
      ],
      containers: [
        { name: "c1", resources: { requests: { cpu: "2", memory: "1G" } } },
        { name: "c2", resources: { requests: { cpu: "1", memory: "1G" } } },
      ],
    });
    const r = computePodRequests(pod);
    expect(r.milliCPU).toBe(3000);
    expect(r.memory).toBe(3_000_000_000);
    const withOverhead = computePodRequests({ ...pod, spec: { ...pod.spec, overhead: { cpu: "250m", memory: "120Mi" } } });
    expect(withOverhead.milliCPU).toBe(3250);
    expect(withOverhead.memory).toBe(3_000_000_000 + 120 * 1024 * 1024);
  });

  it("runs sidecars (restartable init containers) alongside everything after them", () => {
    const pod = makePod("p", {
      initContainers: [
        { name: "sidecar", restartPolicy: "Always", resources: { requests: { cpu: "500m" } } },
        { name: "init", resources: { requests: { cpu: "2" } } },
      ],
      containers: [{ name: "c", resources: { requests: { cpu: "1" } } }],
    });
    // max(containers 1 + sidecar 0.5, init 2 + sidecar 0.5) = 2.5
    expect(computePodRequests(pod).milliCPU).toBe(2500);
  });

  it("lets pod-level requests replace the container sum for cpu and memory", () => {
    const pod = makePod("p", { requests: { cpu: "1", memory: "1Gi", "example.com/gpu": 1 } });
    const withPodLevel = { ...pod, spec: { ...pod.spec, resources: { requests: { cpu: "3" } } } };
    const r = computePodRequests(withPodLevel);
    expect(r.milliCPU).toBe(3000);
    expect(r.memory).toBe(1024 ** 3);
    expect(r.scalar.get("example.com/gpu")).toBe(1);
    expect(computeNonZeroRequests(withPodLevel)).toEqual({ milliCPU: 3000, memory: 1024 ** 3 });
  });

  it("rounds fractional values up like MilliValue/Value, and keeps scalar resources", () => {
    const r = computePodRequests(makePod("p", { requests: { cpu: "0.1m", memory: "1.5", "hugepages-2Mi": "4Mi", "example.com/gpu": "2" } }));
    expect(r.milliCPU).toBe(1);
    expect(r.memory).toBe(2);
    expect(r.scalar.get("hugepages-2Mi")).toBe(4 * 1024 * 1024);
    expect(r.scalar.get("example.com/gpu")).toBe(2);
  });

  it("defaults only missing cpu/memory requests to 100m/200Mi for scoring", () => {
    expect(computeNonZeroRequests(makePod("p"))).toEqual({ milliCPU: 100, memory: 200 * 1024 * 1024 });
    expect(computeNonZeroRequests(makePod("p", { requests: { cpu: "0" } }))).toEqual({ milliCPU: 0, memory: 200 * 1024 * 1024 });
    const two = makePod("p", { containers: [{ name: "a" }, { name: "b", resources: { requests: { memory: "1Gi" } } }] });
    expect(computeNonZeroRequests(two)).toEqual({ milliCPU: 200, memory: 200 * 1024 * 1024 + 1024 ** 3 });
  });
});

describe("resource names", () => {
  it("classifies like upstream's helpers", () => {
    expect(isExtendedResourceName("example.com/gpu")).toBe(true);
    expect(isExtendedResourceName("kubernetes.io/foo")).toBe(false);
    expect(isExtendedResourceName("cpu")).toBe(false);
    expect(isExtendedResourceName("requests.example.com/gpu")).toBe(false);
    expect(isScalarResourceName("hugepages-1Gi")).toBe(true);
    expect(isScalarResourceName("attachable-volumes-aws-ebs")).toBe(true);
    expect(isScalarResourceName("kubernetes.io/batch-cpu")).toBe(true);
    expect(isScalarResourceName("memory")).toBe(false);
  });

  it("reads allocatable, pods included", () => {
    const r = resourceFromMap({ cpu: "3500m", memory: "1Gi", pods: "110", "ephemeral-storage": "10Gi", "example.com/gpu": 4 });
    expect(r).toMatchObject({ milliCPU: 3500, memory: 1024 ** 3, allowedPodNumber: 110, ephemeralStorage: 10 * 1024 ** 3 });
    expect(r.scalar.get("example.com/gpu")).toBe(4);
  });
});
