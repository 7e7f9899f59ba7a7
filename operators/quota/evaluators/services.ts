// Quota for mirror Services (upstream pkg/quota/v1/evaluator/core/services.go).
import { kinds } from "../../api/index.ts";
import { Quantity } from "../../common/quantity.ts";
import * as R from "../resource-names.ts";
import { ONE, type Evaluator, type QuotaObject, type Usage } from "./evaluator.ts";

interface QuotaService {
  spec?: { type?: string; ports?: { nodePort?: number }[]; allocateLoadBalancerNodePorts?: boolean };
}

const COUNT_NAMES = R.objectCountNames(kinds.Service);
const RESOURCES = new Set([...COUNT_NAMES, R.SERVICES, R.SERVICES_NODEPORTS, R.SERVICES_LOADBALANCERS]);

/** One service; node ports as many as its ports (a LoadBalancer without allocated node ports counts only the explicit ones). */
function usage(obj: QuotaObject): Usage {
  const spec = (obj as QuotaService).spec ?? {};
  const ports = spec.ports ?? [];
  const result: Usage = new Map([...COUNT_NAMES.map((n) => [n, ONE] as const), [R.SERVICES, ONE]]);
  let nodePorts = 0;
  let loadBalancers = 0;
  if (spec.type === "NodePort") nodePorts = ports.length;
  if (spec.type === "LoadBalancer") {
    nodePorts = spec.allocateLoadBalancerNodePorts === false ? ports.filter((p) => p.nodePort).length : ports.length;
    loadBalancers = 1;
  }
  result.set(R.SERVICES_NODEPORTS, Quantity.fromValue(nodePorts));
  result.set(R.SERVICES_LOADBALANCERS, Quantity.fromValue(loadBalancers));
  return result;
}

export const serviceEvaluator: Evaluator = {
  kind: kinds.Service,
  // A type change turns node ports and load balancers on and off.
  handles: (operation) => operation === "CREATE" || operation === "UPDATE",
  matchingResources: (input) => input.filter((n) => RESOURCES.has(n)),
  matchesScope: () => false,
  constraints: () => undefined,
  usage,
  normalize: (raw) => raw,
};
