import { describe, expect, it } from "vitest";
import {
  DeploymentKind,
  mustParse,
  PersistentVolumeClaimKind,
  PersistentVolumeKind,
  PodKind,
  ReplicaSetKind,
  ResourceQuotaKind,
  ServiceKind,
  StatefulSetKind,
  StorageClassKind,
} from "./index.ts";
import { manifest, manifests } from "./testdata/manifests.ts";

// Upstream example manifests, apiVersion changed, parse and get upstream's defaults.

describe("Deployment", () => {
  const d = mustParse(DeploymentKind, manifest("nginx-deployment.yaml", "Deployment"));

  it("keeps what the manifest says", () => {
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.containers[0]?.ports?.[0]).toEqual({ containerPort: 80, protocol: "TCP" });
  });

  it("applies the apps/v1 defaults", () => {
    expect(d.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } });
    expect(d.spec.revisionHistoryLimit).toBe(10);
    expect(d.spec.progressDeadlineSeconds).toBe(600);
  });

  it("applies the pod template defaults", () => {
    const spec = d.spec.template.spec;
    expect(spec.restartPolicy).toBe("Always");
    expect(spec.schedulerName).toBe("mirrorkube-scheduler");
    expect(spec.dnsPolicy).toBe("ClusterFirst");
    expect(spec.terminationGracePeriodSeconds).toBe(30);
    expect(spec.containers[0]?.terminationMessagePath).toBe("/dev/termination-log");
    expect(spec.containers[0]?.terminationMessagePolicy).toBe("File");
  });

  it("defaults replicas to 1", () => {
    const m = manifest("nginx-deployment.yaml", "Deployment");
    delete (m.spec as { replicas?: number }).replicas;
    expect(mustParse(DeploymentKind, m).spec.replicas).toBe(1);
  });

  it("fills rollingUpdate in for a bare RollingUpdate strategy, and leaves Recreate alone", () => {
    const m = manifest("nginx-deployment.yaml", "Deployment");
    (m.spec as Record<string, unknown>).strategy = { type: "RollingUpdate" };
    expect(mustParse(DeploymentKind, m).spec.strategy.rollingUpdate).toEqual({ maxSurge: "25%", maxUnavailable: "25%" });
    (m.spec as Record<string, unknown>).strategy = { type: "Recreate" };
    expect(mustParse(DeploymentKind, m).spec.strategy).toEqual({ type: "Recreate" });
  });

  it("accepts a missing apiVersion and kind (as in list items) and fills them in", () => {
    const { apiVersion: _a, kind: _k, ...rest } = manifest("nginx-deployment.yaml", "Deployment");
    const parsed = mustParse(DeploymentKind, rest);
    expect([parsed.apiVersion, parsed.kind]).toEqual(["apps.mirrorkube.dev/v1alpha1", "Deployment"]);
  });

  it("keeps metadata fields it does not model", () => {
    const m = manifest("nginx-deployment.yaml", "Deployment");
    (m.metadata as Record<string, unknown>).managedFields = [{ manager: "kubectl" }];
    expect(mustParse(DeploymentKind, m).metadata.managedFields).toEqual([{ manager: "kubectl" }]);
  });
});

describe("ReplicaSet", () => {
  it("parses the docs' frontend ReplicaSet", () => {
    const rs = mustParse(ReplicaSetKind, manifest("frontend-replicaset.yaml", "ReplicaSet"));
    expect(rs.spec.replicas).toBe(3);
    expect(rs.spec.selector.matchLabels).toEqual({ tier: "frontend" });
  });
});

describe("StatefulSet", () => {
  const sts = mustParse(StatefulSetKind, manifest("web-statefulset.yaml", "StatefulSet"));

  it("applies the apps/v1 defaults", () => {
    expect(sts.spec.podManagementPolicy).toBe("OrderedReady");
    expect(sts.spec.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { partition: 0 } });
    expect(sts.spec.revisionHistoryLimit).toBe(10);
    expect(sts.spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Retain", whenScaled: "Retain" });
  });

  it("keeps volumeClaimTemplates, with the claim defaults", () => {
    const [claim] = sts.spec.volumeClaimTemplates ?? [];
    expect(claim?.metadata?.name).toBe("www");
    expect(claim?.spec.resources.requests).toEqual({ storage: "1Gi" });
    expect(claim?.spec.volumeMode).toBe("Filesystem");
  });

  it("leaves rollingUpdate out for OnDelete", () => {
    const m = manifest("web-statefulset.yaml", "StatefulSet");
    (m.spec as Record<string, unknown>).updateStrategy = { type: "OnDelete" };
    expect(mustParse(StatefulSetKind, m).spec.updateStrategy).toEqual({ type: "OnDelete" });
  });
});

describe("Pod", () => {
  const pod = mustParse(PodKind, manifest("pod-probes-affinity.yaml", "Pod"));
  const container = pod.spec.containers[0];

  it("applies the probe defaults", () => {
    expect(container?.livenessProbe).toMatchObject({
      httpGet: { path: "/healthz", port: 8080, scheme: "HTTP" },
      initialDelaySeconds: 3,
      periodSeconds: 3,
      timeoutSeconds: 1,
      successThreshold: 1,
      failureThreshold: 3,
    });
    expect(container?.readinessProbe?.tcpSocket).toEqual({ port: 8080 });
  });

  it("keeps affinity, tolerations and spread constraints typed", () => {
    expect(pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toHaveLength(1);
    expect(pod.spec.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0]?.weight).toBe(100);
    expect(pod.spec.tolerations).toEqual([{ key: "example-key", operator: "Exists", effect: "NoSchedule" }]);
    expect(pod.spec.topologySpreadConstraints?.[0]?.maxSkew).toBe(1);
  });

  it("keeps volume sources: typed ones with defaults, others as written", () => {
    const byName = Object.fromEntries((pod.spec.volumes ?? []).map((v) => [v.name, v]));
    expect(byName.data?.persistentVolumeClaim).toEqual({ claimName: "task-pv-claim" });
    expect(byName.host?.hostPath).toEqual({ path: "/var/log", type: "Directory" });
    expect(byName.config?.projected).toEqual({ sources: [{ configMap: { name: "app-config" } }] });
  });

  it("keeps the preserve-unknown securityContext as written", () => {
    expect(pod.spec.securityContext).toEqual({ runAsUser: 1000, fsGroup: 2000 });
    expect(container?.securityContext).toEqual({ allowPrivilegeEscalation: false });
  });

  it("defaults a missing request to the limit, as upstream does for a Pod", () => {
    expect(container?.resources?.requests).toEqual({ cpu: "250m", memory: "128Mi" });
  });

  it("applies the Pod-only defaults and starts Pending", () => {
    expect(pod.spec.enableServiceLinks).toBe(true);
    expect(pod.status.phase).toBe("Pending");
  });

  it("accepts a status as the realizer writes it, display fields included", () => {
    const m = manifest("pod-probes-affinity.yaml", "Pod");
    m.status = {
      phase: "Running",
      podIP: "10.244.0.7",
      podIPs: [{ ip: "10.244.0.7" }],
      hostIP: "172.18.0.2",
      startTime: "2024-05-01T10:00:00Z",
      conditions: [{ type: "Ready", status: "True", lastTransitionTime: "2024-05-01T10:00:05Z" }],
      containerStatuses: [
        {
          name: "liveness",
          ready: true,
          restartCount: 2,
          image: "registry.k8s.io/e2e-test-images/agnhost:2.40",
          imageID: "sha256:abc",
          state: { running: { startedAt: "2024-05-01T10:00:01Z" } },
        },
      ],
      qosClass: "Burstable",
      ready: "1/1",
      restarts: 2,
      display: "Running",
    };
    expect(mustParse(PodKind, m).status).toMatchObject({ phase: "Running", ready: "1/1", restarts: 2 });
  });
});

describe("Service", () => {
  const [svc, lb] = manifests("service.yaml").map((m) => mustParse(ServiceKind, m));

  it("applies the defaults, targetPort included", () => {
    expect(svc?.spec).toMatchObject({ type: "ClusterIP", sessionAffinity: "None", internalTrafficPolicy: "Cluster" });
    expect(svc?.spec.externalTrafficPolicy).toBeUndefined();
    expect(svc?.spec.ports?.[0]?.targetPort).toBe("http-web-svc");
    expect(lb?.spec.ports?.[0]).toMatchObject({ port: 443, protocol: "TCP", targetPort: 443 });
    expect(lb?.spec.externalTrafficPolicy).toBe("Cluster");
  });

  it("parses the headless Service of the StatefulSet example", () => {
    expect(mustParse(ServiceKind, manifest("web-statefulset.yaml", "Service")).spec.clusterIP).toBe("None");
  });
});

describe("storage", () => {
  it("applies the PersistentVolume defaults", () => {
    const pv = mustParse(PersistentVolumeKind, manifest("storage.yaml", "PersistentVolume"));
    expect(pv.spec).toMatchObject({ persistentVolumeReclaimPolicy: "Retain", volumeMode: "Filesystem" });
    expect(pv.spec.hostPath).toEqual({ path: "/mnt/data", type: "" });
    expect(pv.status.phase).toBe("Pending");
  });

  it("applies the PersistentVolumeClaim defaults", () => {
    const pvc = mustParse(PersistentVolumeClaimKind, manifest("storage.yaml", "PersistentVolumeClaim"));
    expect(pvc.spec.volumeMode).toBe("Filesystem");
    expect(pvc.status.phase).toBe("Pending");
  });

  it("applies the StorageClass defaults", () => {
    const sc = mustParse(StorageClassKind, manifest("storage.yaml", "StorageClass"));
    expect(sc).toMatchObject({ provisioner: "mirrorkube.dev/hostpath", reclaimPolicy: "Delete" });
    expect(sc.volumeBindingMode).toBe("WaitForFirstConsumer");
  });
});

describe("ResourceQuota", () => {
  it("accepts string and integer quantities", () => {
    const q = mustParse(ResourceQuotaKind, manifest("quota.yaml", "ResourceQuota"));
    expect(q.spec.hard).toEqual({
      "requests.cpu": "1",
      "requests.memory": "1Gi",
      "limits.cpu": "2",
      "limits.memory": "2Gi",
      pods: 10,
    });
  });
});

describe("generated manifests", () => {
  it("accepts what `kubectl create deployment --dry-run=client -o yaml` writes", () => {
    const m = manifest("kubectl-create-deployment.yaml", "Deployment");
    const d = mustParse(DeploymentKind, m);
    expect(d.metadata.creationTimestamp).toBeNull();
    expect(d.spec.template.metadata?.creationTimestamp).toBeNull();
    expect(d.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" } });
  });
});
