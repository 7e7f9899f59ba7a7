import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ContainerState, ContainerStatus, PodCondition, PodStatus } from "../../api/index.ts";
import { podDisplay, type DisplaySource } from "./display.ts";

// Each case is a pod state and what `kubectl get pods` prints for it
// (READY, STATUS, RESTARTS), following printPod upstream.

function cs(name: string, state: ContainerState | undefined, o: { ready?: boolean; restarts?: number; started?: boolean; last?: ContainerState } = {}): ContainerStatus {
  return {
    name,
    image: "img",
    imageID: "",
    ready: o.ready ?? false,
    restartCount: o.restarts ?? 0,
    ...(state && { state }),
    ...(o.last && { lastState: o.last }),
    ...(o.started !== undefined && { started: o.started }),
  };
}

const running: ContainerState = { running: { startedAt: "2024-05-01T11:00:00Z" } };
const waiting = (reason?: string): ContainerState => ({ waiting: reason ? { reason } : {} });
const terminated = (exitCode: number, reason?: string, signal?: number): ContainerState => ({
  terminated: { exitCode, ...(reason && { reason }), ...(signal && { signal }) },
});
const cond = (type: string, status: "True" | "False", reason?: string): PodCondition => ({ type, status, ...(reason && { reason }) });

interface Shape {
  containers?: string[];
  init?: { name: string; restartPolicy?: string }[];
  status: Partial<PodStatus>;
  deleting?: boolean;
}

function show({ containers = ["app"], init, status, deleting }: Shape) {
  const pod: DisplaySource = {
    spec: { containers: containers.map((name) => ({ name })), ...(init && { initContainers: init }) },
    status: { phase: "Pending", ...status },
    ...(deleting && { deletionTimestamp: "2024-05-01T12:00:00Z" }),
  };
  return podDisplay(pod);
}

describe("podDisplay: the READY, STATUS and RESTARTS columns", () => {
  it("a pod nothing has happened to yet is Pending, 0/n", () => {
    expect(show({ containers: ["a", "b"], status: {} })).toEqual({ ready: "0/2", restarts: 0, display: "Pending" });
  });

  it("a running, ready pod is Running 1/1", () => {
    const status = { phase: "Running" as const, containerStatuses: [cs("app", running, { ready: true })] };
    expect(show({ status })).toEqual({ ready: "1/1", restarts: 0, display: "Running" });
  });

  it("a running container that is not ready counts as not ready, and the pod is still Running", () => {
    const status = { phase: "Running" as const, containerStatuses: [cs("app", running)] };
    expect(show({ status })).toEqual({ ready: "0/1", restarts: 0, display: "Running" });
  });

  it("the kubelet's waiting reason is the status: ContainerCreating, ImagePullBackOff, CrashLoopBackOff", () => {
    for (const reason of ["ContainerCreating", "ImagePullBackOff", "CrashLoopBackOff"]) {
      const status = { phase: "Pending" as const, containerStatuses: [cs("app", waiting(reason), { restarts: 3 })] };
      expect(show({ status }).display).toBe(reason);
    }
  });

  it("a waiting container without a reason leaves the phase", () => {
    expect(show({ status: { containerStatuses: [cs("app", waiting())] } }).display).toBe("Pending");
  });

  it("terminated containers print their reason, else their exit code or signal", () => {
    const phase = "Failed" as const;
    expect(show({ status: { phase, containerStatuses: [cs("app", terminated(1, "Error"))] } }).display).toBe("Error");
    expect(show({ status: { phase, containerStatuses: [cs("app", terminated(2))] } }).display).toBe("ExitCode:2");
    expect(show({ status: { phase, containerStatuses: [cs("app", terminated(137, undefined, 9))] } }).display).toBe("Signal:9");
    expect(show({ status: { phase: "Succeeded", containerStatuses: [cs("app", terminated(0, "Completed"))] } })).toEqual({
      ready: "0/1",
      restarts: 0,
      display: "Completed",
    });
  });

  it("the first container's state wins over later ones", () => {
    const status = { phase: "Running" as const, containerStatuses: [cs("a", waiting("CrashLoopBackOff")), cs("b", terminated(1, "Error"))] };
    expect(show({ containers: ["a", "b"], status }).display).toBe("CrashLoopBackOff");
  });

  it("Completed with a container still running and ready is Running when the pod is Ready, else NotReady", () => {
    const containerStatuses = [cs("a", running, { ready: true }), cs("b", terminated(0, "Completed"))];
    const base = { phase: "Running" as const, containerStatuses };
    expect(show({ containers: ["a", "b"], status: { ...base, conditions: [cond("Ready", "True")] } })).toEqual({ ready: "1/2", restarts: 0, display: "Running" });
    expect(show({ containers: ["a", "b"], status: base }).display).toBe("NotReady");
  });

  it("status.reason replaces the phase (Evicted, NodeLost)", () => {
    expect(show({ status: { phase: "Failed", reason: "Evicted" } }).display).toBe("Evicted");
    expect(show({ status: { phase: "Failed", reason: "NodeLost", containerStatuses: [cs("app", running)] } }).display).toBe("NodeLost");
  });

  it("a gated pod is SchedulingGated", () => {
    expect(show({ status: { conditions: [cond("PodScheduled", "False", "SchedulingGated")] } }).display).toBe("SchedulingGated");
  });

  it("restarts sum over the containers", () => {
    const status = { phase: "Running" as const, containerStatuses: [cs("a", running, { restarts: 2, ready: true }), cs("b", running, { restarts: 3, ready: true })] };
    expect(show({ containers: ["a", "b"], status })).toEqual({ ready: "2/2", restarts: 5, display: "Running" });
  });

  describe("init containers", () => {
    const init = [{ name: "i0" }, { name: "i1" }];

    it("Init:i/n while an init container runs", () => {
      const status = { initContainerStatuses: [cs("i0", terminated(0, "Completed")), cs("i1", running)], containerStatuses: [cs("app", waiting("PodInitializing"))] };
      expect(show({ init, status })).toEqual({ ready: "0/1", restarts: 0, display: "Init:1/2" });
    });

    it("a waiting init container with a reason other than PodInitializing shows it, and its restarts count", () => {
      const status = { initContainerStatuses: [cs("i0", waiting("CrashLoopBackOff"), { restarts: 4 }), cs("i1", waiting("PodInitializing"))] };
      expect(show({ init, status })).toEqual({ ready: "0/1", restarts: 4, display: "Init:CrashLoopBackOff" });
    });

    it("a failed init container shows its reason, else its exit code or signal", () => {
      expect(show({ init, status: { initContainerStatuses: [cs("i0", terminated(1, "Error"))] } }).display).toBe("Init:Error");
      expect(show({ init, status: { initContainerStatuses: [cs("i0", terminated(3))] } }).display).toBe("Init:ExitCode:3");
      expect(show({ init, status: { initContainerStatuses: [cs("i0", terminated(137, undefined, 9))] } }).display).toBe("Init:Signal:9");
    });

    it("a started sidecar (restartPolicy Always) does not block, and counts in READY", () => {
      const withSidecar = [{ name: "proxy", restartPolicy: "Always" }, { name: "i1" }];
      const status = {
        phase: "Running" as const,
        conditions: [cond("Initialized", "True")],
        initContainerStatuses: [cs("proxy", running, { ready: true, started: true, restarts: 1 }), cs("i1", terminated(0, "Completed"), { restarts: 5 })],
        containerStatuses: [cs("app", running, { ready: true, restarts: 2 })],
      };
      // Once initialised only the sidecar's restarts add to the app containers'.
      expect(show({ init: withSidecar, status })).toEqual({ ready: "2/2", restarts: 3, display: "Running" });
    });

    it("an Initialized pod with an init status that looks unfinished: app containers count, their states speak", () => {
      const initStatuses = [cs("i0", running, { restarts: 7 })];
      const crashing = { phase: "Running" as const, conditions: [cond("Initialized", "True")], initContainerStatuses: initStatuses };
      expect(show({ init, status: { ...crashing, containerStatuses: [cs("app", waiting("CrashLoopBackOff"), { restarts: 2 })] } })).toEqual({
        ready: "0/1",
        restarts: 2,
        display: "CrashLoopBackOff",
      });
      // A running app container has nothing to say, so the init progress stays (as kubectl prints it).
      expect(show({ init, status: { ...crashing, containerStatuses: [cs("app", running, { ready: true })] } })).toEqual({
        ready: "1/1",
        restarts: 0,
        display: "Init:0/2",
      });
    });
  });

  describe("deletion", () => {
    it("a deleted pod that is not finished is Terminating", () => {
      const status = { phase: "Running" as const, containerStatuses: [cs("app", running, { ready: true })] };
      expect(show({ status, deleting: true })).toEqual({ ready: "1/1", restarts: 0, display: "Terminating" });
    });

    it("a deleted pod that finished keeps its final status", () => {
      expect(show({ status: { phase: "Failed", containerStatuses: [cs("app", terminated(1, "Error"))] }, deleting: true }).display).toBe("Error");
    });

    it("a deleted pod of a lost node is Unknown", () => {
      expect(show({ status: { phase: "Running", reason: "NodeLost" }, deleting: true }).display).toBe("Unknown");
    });
  });

  it("READY never exceeds the total, and RESTARTS is the sum when there are no init containers", () => {
    const state = fc.constantFrom<ContainerState | undefined>(undefined, running, waiting("CrashLoopBackOff"), terminated(0, "Completed"), terminated(1));
    const status = fc.record({ state, ready: fc.boolean(), restarts: fc.nat(100) });
    fc.assert(
      fc.property(fc.array(status, { minLength: 1, maxLength: 6 }), (specs) => {
        const names = specs.map((_, i) => `c${i}`);
        const out = show({ containers: names, status: { phase: "Running", containerStatuses: specs.map((s, i) => cs(`c${i}`, s.state, s)) } });
        const [ready, total] = out.ready.split("/").map(Number);
        expect(total).toBe(specs.length);
        expect(ready).toBeLessThanOrEqual(total!);
        expect(out.restarts).toBe(specs.reduce((sum, s) => sum + s.restarts, 0));
      }),
    );
  });
});
