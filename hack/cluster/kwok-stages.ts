import { stringify } from "yaml";

/**
 * Pod stages for kwok, replacing its default pod stages (its default node
 * stages stay). The label mirrorkube.dev/kwok on a Pod (a realized Pod
 * inherits it from its mirror Pod) picks how the Pod behaves:
 *   (absent)     Running and Ready
 *   never-ready  Running, never Ready; removing the label lets it become Ready
 *   fail         Running, then Failed about a second later
 *   complete     Running, then Succeeded about a second later
 *   (other)      left alone: bound and Pending for good (benchmarks use "inert")
 * Templates are kwok's Go templates (Now, Quote, NodeIPWith, PodIPWith).
 */
export const behaviourLabel = "mirrorkube.dev/kwok";
const label = `.metadata.labels["${behaviourLabel}"]`;
const readyStatus = '.status.conditions.[] | select( .type == "Ready" ) | .status';

type Expr = { key: string; operator: string; values?: string[] };
const notDeleting: Expr = { key: ".metadata.deletionTimestamp", operator: "DoesNotExist" };
const bound: Expr = { key: ".spec.nodeName", operator: "Exists" };
const phase = (...values: string[]): Expr => ({ key: ".status.phase", operator: "In", values });

function stage(name: string, expressions: Expr[], next: Record<string, unknown>, delayMs?: number) {
  return {
    apiVersion: "kwok.x-k8s.io/v1alpha1",
    kind: "Stage",
    metadata: { name },
    spec: {
      resourceRef: { apiGroup: "v1", kind: "Pod" },
      selector: { matchExpressions: expressions },
      ...(delayMs === undefined ? {} : { delay: { durationMilliseconds: delayMs } }),
      next,
    },
  };
}

/** Status of a started Pod: containers running, Ready as given, addresses from kwok (assigned once). */
function runningStatus(ready: boolean): string {
  const cond = (type: string) =>
    ready
      ? `- {type: ${type}, status: "True", lastTransitionTime: {{ $now | Quote }}}`
      : `- {type: ${type}, status: "False", reason: ContainersNotReady, message: "containers with unready status", lastTransitionTime: {{ $now | Quote }}}`;
  return `{{ $now := Now }}
{{ $started := or .status.startTime $now }}
conditions:
- {type: PodReadyToStartContainers, status: "True", lastTransitionTime: {{ $started | Quote }}}
- {type: Initialized, status: "True", lastTransitionTime: {{ $started | Quote }}}
${cond("Ready")}
${cond("ContainersReady")}
- {type: PodScheduled, status: "True", lastTransitionTime: {{ $started | Quote }}}
containerStatuses:
{{ range .spec.containers }}
- {name: {{ .name | Quote }}, image: {{ .image | Quote }}, ready: ${ready}, started: true, restartCount: 0, state: {running: {startedAt: {{ $started | Quote }}}}}
{{ end }}
{{ if not .status.podIP }}
{{ $hostIP := NodeIPWith .spec.nodeName }}
{{ $podIP := PodIPWith .spec.nodeName ( or .spec.hostNetwork false ) ( or .metadata.uid "" ) ( or .metadata.name "" ) ( or .metadata.namespace "" ) }}
{{ if $hostIP }}
hostIP: {{ $hostIP | Quote }}
hostIPs: [{ip: {{ $hostIP | Quote }}}]
{{ end }}
podIP: {{ $podIP | Quote }}
podIPs: [{ip: {{ $podIP | Quote }}}]
{{ end }}
phase: Running
startTime: {{ $started | Quote }}
`;
}

function terminatedStatus(phaseName: string, exitCode: number, reason: string): string {
  return `{{ $now := Now }}
conditions:
- {type: Ready, status: "False", reason: PodCompleted, lastTransitionTime: {{ $now | Quote }}}
- {type: ContainersReady, status: "False", reason: PodCompleted, lastTransitionTime: {{ $now | Quote }}}
containerStatuses:
{{ range .spec.containers }}
- {name: {{ .name | Quote }}, image: {{ .image | Quote }}, ready: false, started: false, restartCount: 0, state: {terminated: {exitCode: ${exitCode}, reason: ${reason}, startedAt: {{ $now | Quote }}, finishedAt: {{ $now | Quote }}}}}
{{ end }}
phase: ${phaseName}
`;
}

export function kwokPodStages(): string {
  const stages = [
    stage(
      "mirrorkube-pod-ready",
      [notDeleting, bound, { key: label, operator: "DoesNotExist" }, phase("Pending", "Running"), { key: readyStatus, operator: "NotIn", values: ["True"] }],
      { statusTemplate: runningStatus(true) },
    ),
    stage(
      "mirrorkube-pod-start-unready",
      [notDeleting, bound, { key: label, operator: "In", values: ["never-ready", "fail", "complete"] }, phase("Pending")],
      { statusTemplate: runningStatus(false) },
    ),
    stage("mirrorkube-pod-fail", [notDeleting, { key: label, operator: "In", values: ["fail"] }, phase("Running")], { statusTemplate: terminatedStatus("Failed", 1, "Error") }, 1000),
    stage("mirrorkube-pod-complete", [notDeleting, { key: label, operator: "In", values: ["complete"] }, phase("Running")], { statusTemplate: terminatedStatus("Succeeded", 0, "Completed") }, 1000),
    stage("mirrorkube-pod-delete", [{ key: ".metadata.deletionTimestamp", operator: "Exists" }], { finalizers: { empty: true }, delete: true }),
  ];
  return stages.map((s) => stringify(s, { lineWidth: 0 })).join("---\n");
}
