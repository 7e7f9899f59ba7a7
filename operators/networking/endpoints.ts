// The endpoints a Service publishes, as the EndpointSlice controller computes
// them (pkg/controller/endpointslice and staging/src/k8s.io/endpointslice):
// one endpoint per selected Pod that has an IP and is not terminal, with
// ready/serving/terminating conditions; ports resolved per Pod (a named
// targetPort by the Pod's container port name and protocol), endpoints
// grouped by address type and resolved port set, at most 100 per group.
import { MAX_ENDPOINTS_PER_SLICE, type Endpoint, type EndpointPort, type EndpointSlice, type Pod, type Service, type ServicePort } from "../api/index.ts";
import { isPodReady } from "../workloads/common/index.ts";

type AddressType = EndpointSlice["addressType"];

/** Whether a Service publishes endpoints from a selector at all: not ExternalName, and a non-empty selector. */
export function selectsPods(service: Service): boolean {
  return service.spec.type !== "ExternalName" && Object.keys(service.spec.selector ?? {}).length > 0;
}

/**
 * Upstream FindPort: a number is used as is; a name resolves to the first
 * container (or sidecar) port with that name and the service port's
 * protocol. Undefined: the Pod lacks it and is left out for this port.
 */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === "number") return target;
  const containers = [...pod.spec.containers, ...(pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === "Always")];
  for (const c of containers) {
    const match = (c.ports ?? []).find((p) => p.name === target && (p.protocol ?? "TCP") === servicePort.protocol);
    if (match) return match.containerPort;
  }
  return undefined;
}

/** The ports of the Service this Pod serves, in the Service's order (upstream getEndpointPorts). */
export function endpointPorts(service: Service, pod: Pod): EndpointPort[] {
  return (service.spec.ports ?? []).flatMap((sp) => {
    const port = findPort(pod, sp);
    if (port === undefined) return [];
    return [{ name: sp.name ?? "", port, protocol: sp.protocol, ...(sp.appProtocol !== undefined && { appProtocol: sp.appProtocol }) }];
  });
}

/** Upstream ShouldPodBeInEndpoints with includeTerminating (always, for slices). */
export function shouldPodBeInEndpoints(pod: Pod): boolean {
  return pod.status.phase !== "Succeeded" && pod.status.phase !== "Failed" && !!pod.status.podIP;
}

function familyOf(ip: string): AddressType {
  return ip.includes(":") ? "IPv6" : "IPv4";
}

/** The address types the Service publishes: its ipFamilies, else the families its Pods have. */
function addressTypes(service: Service, pods: readonly Pod[]): AddressType[] {
  if (service.spec.ipFamilies?.length) return [...service.spec.ipFamilies];
  const seen = new Set(pods.flatMap((p) => podIPs(p).map(familyOf)));
  return seen.size > 0 ? (["IPv4", "IPv6"] as const).filter((t) => seen.has(t)) : ["IPv4"];
}

function podIPs(pod: Pod): string[] {
  const ips = pod.status.podIPs?.map((p) => p.ip) ?? [];
  return ips.length > 0 ? ips : pod.status.podIP ? [pod.status.podIP] : [];
}

/** Upstream podToEndpoint. */
export function podToEndpoint(service: Service, pod: Pod, address: string, zoneOf: (node: string) => string | undefined): Endpoint {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const nodeName = pod.spec.nodeName;
  const zone = nodeName ? zoneOf(nodeName) : undefined;
  const hostname = pod.spec.hostname && pod.spec.subdomain === service.metadata.name ? pod.spec.hostname : undefined;
  return {
    addresses: [address],
    // Ready never holds for a terminating endpoint, unless the Service publishes not-ready addresses.
    conditions: { ready: service.spec.publishNotReadyAddresses === true || (serving && !terminating), serving, terminating },
    ...(hostname && { hostname }),
    ...(nodeName && { nodeName }),
    ...(zone && { zone }),
    targetRef: { kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
}

/**
 * The slices of a Service over the Pods it selects (already filtered by
 * selector and namespace), in a stable order: by address type, then port
 * set, endpoints by Pod name.
 */
export function endpointSlices(service: Service, selected: readonly Pod[], zoneOf: (node: string) => string | undefined): EndpointSlice[] {
  const pods = selected.filter(shouldPodBeInEndpoints).sort((a, b) => ((a.metadata.name ?? "") < (b.metadata.name ?? "") ? -1 : 1));
  const slices: EndpointSlice[] = [];
  for (const addressType of addressTypes(service, pods)) {
    const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>();
    for (const pod of pods) {
      const address = podIPs(pod).find((ip) => familyOf(ip) === addressType);
      if (!address) continue;
      const ports = endpointPorts(service, pod);
      const key = JSON.stringify(ports);
      const group = groups.get(key) ?? { ports, endpoints: [] };
      group.endpoints.push(podToEndpoint(service, pod, address, zoneOf));
      groups.set(key, group);
    }
    for (const key of [...groups.keys()].sort()) {
      const { ports, endpoints } = groups.get(key) ?? { ports: [], endpoints: [] };
      for (let i = 0; i < endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
        slices.push({ addressType, ports, endpoints: endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
      }
    }
  }
  return slices;
}
