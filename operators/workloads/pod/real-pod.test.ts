import { describe, expect, it } from "vitest";
import { metadataPatch, buildRealPod } from "./real-pod.ts";
import { MIRROR_UID, mirrorPod, realPod } from "./testing.ts";
import { passThroughVolumes, type VolumeTranslator } from "./volumes.ts";

function build(mirror = mirrorPod({ spec: { nodeName: "kwok-node-1" } }), translate: VolumeTranslator = passThroughVolumes) {
  const result = buildRealPod(mirror, translate);
  if (!result.ok) throw new Error(result.message);
  return result.pod;
}

describe("buildRealPod", () => {
  it("names the real Pod as its mirror, labels it with the mirror's name, and makes the mirror its controller", () => {
    const pod = build(mirrorPod({ metadata: { labels: { app: "web", tier: "fe" }, annotations: { team: "a" } }, spec: { nodeName: "kwok-node-1" } }));
    expect(pod.apiVersion).toBe("v1");
    expect(pod.kind).toBe("Pod");
    expect(pod.metadata).toEqual({
      name: "web",
      namespace: "ns",
      labels: { app: "web", tier: "fe", "mirrorkube.dev/pod": "web" },
      annotations: { team: "a" },
      ownerReferences: [{ apiVersion: "core.mirrorkube.dev/v1alpha1", kind: "Pod", name: "web", uid: MIRROR_UID, controller: true, blockOwnerDeletion: true }],
    });
  });

  it("leaves out kubectl's last-applied-configuration, which describes the mirror Pod", () => {
    const mirror = mirrorPod({ metadata: { annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}" } }, spec: { nodeName: "n" } });
    expect(build(mirror).metadata?.annotations).toBeUndefined();
  });

  it("carries the workload over: containers, init containers, env, ports, probes, resources, lifecycle settings", () => {
    const container = {
      name: "app",
      image: "registry.invalid/app:2",
      command: ["/app"],
      args: ["--port=8080"],
      env: [{ name: "MODE", value: "prod" }, { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
      ports: [{ name: "http", containerPort: 8080 }],
      resources: { limits: { cpu: "500m", memory: "128Mi" } },
      readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 5 },
      livenessProbe: { tcpSocket: { port: 8080 } },
      volumeMounts: [{ name: "data", mountPath: "/data" }],
    };
    const mirror = mirrorPod({
      spec: {
        nodeName: "kwok-node-1",
        containers: [container],
        initContainers: [{ name: "init", image: "registry.invalid/init:1" }],
        restartPolicy: "OnFailure",
        terminationGracePeriodSeconds: 7,
        hostname: "web-0",
        subdomain: "web",
        serviceAccountName: "builder",
        volumes: [{ name: "data", emptyDir: {} }, { name: "cfg", configMap: { name: "cfg" } }],
      },
    });
    const spec = build(mirror).spec!;
    expect(spec.nodeName).toBe("kwok-node-1");
    expect(spec.containers).toEqual(mirror.spec.containers);
    // The mirror schema's defaulting (requests from limits) is upstream's, so the real Pod asks for the same.
    expect(spec.containers?.[0]?.resources).toEqual({ limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: "500m", memory: "128Mi" } });
    expect(spec.initContainers).toEqual(mirror.spec.initContainers);
    expect(spec).toMatchObject({ restartPolicy: "OnFailure", terminationGracePeriodSeconds: 7, hostname: "web-0", subdomain: "web", serviceAccountName: "builder" });
    expect(spec.volumes).toEqual(mirror.spec.volumes);
  });

  it("pins the pod to the mirror's node, with mirrorkube's scheduler named as the one that placed it", () => {
    const spec = build(mirrorPod({ spec: { nodeName: "kwok-node-2" } })).spec!;
    expect(spec.nodeName).toBe("kwok-node-2");
    expect(spec.schedulerName).toBe("mirrorkube-scheduler");
  });

  it("leaves a default-scheduler pod unpinned, with what kube-scheduler needs to place it", () => {
    const placement = {
      schedulerName: "default-scheduler",
      nodeSelector: { "topology.kubernetes.io/zone": "zone-a" },
      tolerations: [{ key: "dedicated", operator: "Equal", value: "web", effect: "NoSchedule" }],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "type", operator: "In", values: ["kwok"] }] }] } } },
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: "web" } } }],
    };
    const mirror = mirrorPod({ spec: placement });
    const spec = build(mirror).spec!;
    expect(spec.nodeName).toBeUndefined();
    expect(spec.schedulerName).toBe("default-scheduler");
    expect(spec.nodeSelector).toEqual(mirror.spec.nodeSelector);
    expect(spec.tolerations).toEqual(mirror.spec.tolerations);
    expect(spec.affinity).toEqual(mirror.spec.affinity);
    expect(spec.topologySpreadConstraints).toEqual(mirror.spec.topologySpreadConstraints);
  });

  it("leaves out what the real API server computes and would refuse: priority, preemptionPolicy, overhead, ephemeral containers", () => {
    const mirror = mirrorPod({
      spec: {
        nodeName: "n",
        priorityClassName: "high",
        priority: 1000,
        preemptionPolicy: "Never",
        overhead: { cpu: "10m" },
        ephemeralContainers: [{ name: "debug", image: "busybox" }],
      },
    });
    const spec = build(mirror).spec!;
    expect(spec.priorityClassName).toBe("high");
    for (const field of ["priority", "preemptionPolicy", "overhead", "ephemeralContainers"]) expect(spec).not.toHaveProperty(field);
  });

  it("drops scheduling gates from a bound pod (the API server refuses both), keeps them on an unbound one", () => {
    const gates = [{ name: "example.com/wait" }];
    expect(build(mirrorPod({ spec: { nodeName: "n", schedulingGates: gates } })).spec).not.toHaveProperty("schedulingGates");
    expect(build(mirrorPod({ spec: { schedulerName: "default-scheduler", schedulingGates: gates } })).spec?.schedulingGates).toEqual(gates);
  });

  it("translates volumes through the seam, and waits when a volume is not ready", () => {
    const mirror = mirrorPod({ spec: { nodeName: "n", volumes: [{ name: "cache", emptyDir: {} }, { name: "data", persistentVolumeClaim: { claimName: "data-web-0" } }] } });
    expect(build(mirror).spec?.volumes).toEqual(mirror.spec.volumes);

    const claimsToHostPath: VolumeTranslator = (v) =>
      v.persistentVolumeClaim ? { ok: true, volume: { name: v.name, hostPath: { path: `/pv/${v.persistentVolumeClaim.claimName}`, type: "" } } } : { ok: true, volume: v };
    expect(build(mirror, claimsToHostPath).spec?.volumes?.[1]).toEqual({ name: "data", hostPath: { path: "/pv/data-web-0", type: "" } });

    const unbound: VolumeTranslator = (v) => (v.persistentVolumeClaim ? { ok: false, message: "claim data-web-0 is not bound" } : { ok: true, volume: v });
    expect(buildRealPod(mirror, unbound)).toEqual({ ok: false, message: 'volume "data": claim data-web-0 is not bound' });
  });
});

describe("metadataPatch", () => {
  const mirror = mirrorPod({ metadata: { labels: { app: "web", "mirrorkube.dev/kwok": "never-ready" }, annotations: { a: "1" } }, spec: { nodeName: "n" } });

  it("is undefined when the real Pod's labels and annotations already follow the mirror's", () => {
    expect(metadataPatch(mirror, realPod(mirror, {}, { annotations: { a: "1", "added-by-admission": "x" } }))).toBeUndefined();
  });

  it("removes a label the mirror dropped and sets changed ones; annotations are added and updated, never removed", () => {
    const now = mirrorPod({ metadata: { labels: { app: "api" }, annotations: { a: "2", b: "new" } }, spec: { nodeName: "n" } });
    const real = realPod(mirror, {}, { annotations: { a: "1", "added-by-admission": "x" } });
    expect(metadataPatch(now, real)).toEqual({ labels: { app: "api", "mirrorkube.dev/kwok": null }, annotations: { a: "2", b: "new" } });
  });
});
