// A pod template as `kubectl describe` prints one (kubectl's
// describe.DescribePodTemplate), which `rollout history --revision=N`
// shows: keys and values separated by a tab, not aligned, nested by spaces.
import type { Container, PodTemplateSpec, Probe, Toleration, Volume } from "../api/index.ts";
import { formatQuantity } from "../common/quantity.ts";
import { LAST_APPLIED_ANNOTATION } from "../workloads/deployment/util/constants.ts";

/** kubectl's maxAnnotationLen: longer annotations go on lines of their own. */
const MAX_ANNOTATION_LEN = 140;

const indent = (level: number) => "  ".repeat(level);

class Writer {
  text = "";
  write(level: number, s: string): void {
    this.text += indent(level) + s;
  }
}

export function describePodTemplate(template: PodTemplateSpec): string {
  const w = new Writer();
  const spec = template.spec;
  w.write(0, "Pod Template:\n");
  multiline(w, "  Labels", labelLines(template.metadata?.labels));
  const annotations = template.metadata?.annotations ?? {};
  if (Object.keys(annotations).length > 0) annotationsBlock(w, "  Annotations", annotations);
  if (spec.serviceAccountName) w.write(1, `Service Account:\t${spec.serviceAccountName}\n`);
  if ((spec.initContainers ?? []).length > 0) containers(w, "Init Containers", spec.initContainers ?? []);
  containers(w, "Containers", spec.containers);
  volumes(w, spec.volumes ?? []);
  if (spec.priorityClassName) w.write(1, `Priority Class Name:\t${spec.priorityClassName}\n`);
  multiline(w, "  Node-Selectors", labelLines(spec.nodeSelector));
  multiline(w, "  Tolerations", tolerationLines(spec.tolerations ?? []));
  return w.text;
}

/** `title:\t<none>`, or the lines after `title:\t`, continued lines starting with a tab. */
function multiline(w: Writer, title: string, lines: string[]): void {
  w.write(0, `${title}:\t`);
  if (lines.length === 0) {
    w.write(0, "<none>\n");
    return;
  }
  w.write(0, lines.map((l) => `${l}\n`).join("\t"));
}

function labelLines(labels: Record<string, string> | undefined): string[] {
  return Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels?.[k] ?? ""}`);
}

function annotationsBlock(w: Writer, title: string, annotations: Record<string, string>): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(annotations)
    .filter((k) => k !== LAST_APPLIED_ANNOTATION)
    .sort();
  if (keys.length === 0) {
    w.write(0, "<none>\n");
    return;
  }
  keys.forEach((key, i) => {
    if (i > 0) w.write(0, "\t");
    const value = (annotations[key] ?? "").replace(/\n$/, "");
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes("\n")) {
      w.write(0, `${key}:\n`);
      for (const line of value.split("\n")) w.write(0, `\t  ${shorten(line, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(0, `${key}: ${value}\n`);
    }
  });
}

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}...` : s;
}

function tolerationLines(tolerations: readonly Toleration[]): string[] {
  return [...tolerations]
    .sort((a, b) => ((a.key ?? "") < (b.key ?? "") ? -1 : (a.key ?? "") > (b.key ?? "") ? 1 : 0))
    .map((t) => {
      let s = t.key ?? "";
      if (t.value) s += `=${t.value}`;
      if (t.effect) s += `:${t.effect}`;
      // An Exists without a value tolerates every value of its key (or everything).
      if (t.operator === "Exists" && !t.value) s += t.key || t.effect ? " op=Exists" : "op=Exists";
      if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
      return s;
    });
}

function containers(w: Writer, label: string, list: readonly Container[]): void {
  w.write(0, `  ${label}:${list.length === 0 ? " <none>" : ""}\n`);
  for (const c of list) {
    w.write(1, ` ${c.name}:\n`);
    w.write(2, `Image:\t${c.image}\n`);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? "TCP"}`).join(", ");
    w.write(2, ports.includes(",") ? `Ports:\t${ports}\n` : `Port:\t${ports || "<none>"}\n`);
    const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? "TCP"}`).join(", ");
    w.write(2, hostPorts.includes(",") ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || "<none>"}\n`);
    lines(w, "Command", c.command);
    lines(w, "Args", c.args);
    resources(w, "Limits", c.resources?.limits);
    resources(w, "Requests", c.resources?.requests);
    if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
    envFrom(w, c.envFrom ?? []);
    env(w, c);
    mounts(w, c);
  }
}

function lines(w: Writer, title: string, items: readonly string[] | undefined): void {
  if (!items || items.length === 0) return;
  w.write(2, `${title}:\n`);
  for (const item of items) for (const line of item.split("\n")) w.write(3, `${line}\n`);
}

function resources(w: Writer, title: string, list: Record<string, string | number> | undefined): void {
  const names = Object.keys(list ?? {}).sort();
  if (names.length === 0) return;
  w.write(2, `${title}:\n`);
  for (const name of names) w.write(3, `${name}:\t${formatQuantity(list?.[name] ?? 0)}\n`);
}

function describeProbe(p: Probe): string {
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 0}s period=${p.periodSeconds ?? 0}s #success=${p.successThreshold ?? 0} #failure=${p.failureThreshold ?? 0}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(" ")}] ${attrs}`;
  if (p.httpGet) {
    const g = p.httpGet;
    const host = `${g.host ?? ""}:${g.port}`;
    return `http-get ${(g.scheme ?? "").toLowerCase()}${g.scheme ? ":" : ""}//${host}${g.path ?? ""} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ""}:${p.tcpSocket.port} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ""} ${attrs}`;
  return `unknown ${attrs}`;
}

interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name?: string; optional?: boolean };
  secretRef?: { name?: string; optional?: boolean };
}

function envFrom(w: Writer, sources: readonly unknown[]): void {
  if (sources.length === 0) return;
  w.write(2, "Environment Variables from:\n");
  for (const raw of sources as EnvFromSource[]) {
    const ref = raw.configMapRef ?? raw.secretRef;
    const from = raw.configMapRef ? "ConfigMap" : raw.secretRef ? "Secret" : "";
    const kind = raw.prefix ? `${from} with prefix '${raw.prefix}'` : from;
    w.write(3, `${ref?.name ?? ""}\t${kind}\tOptional: ${ref?.optional ?? false}\n`);
  }
}

function env(w: Writer, c: Container): void {
  const vars = c.env ?? [];
  w.write(2, `Environment:${vars.length === 0 ? "\t<none>" : ""}\n`);
  for (const e of vars) {
    const from = e.valueFrom;
    if (!from) {
      (e.value ?? "").split("\n").forEach((line, i) => w.write(3, i === 0 ? `${e.name}:\t${line}\n` : `\t${line}\n`));
    } else if (from.fieldRef) {
      // Without a pod to resolve against, the value is blank (as for a template in kubectl).
      w.write(3, `${e.name}:\t (${from.fieldRef.apiVersion ?? "v1"}:${from.fieldRef.fieldPath})\n`);
    } else if (from.resourceFieldRef) {
      w.write(3, `${e.name}:\t (${from.resourceFieldRef.resource})\n`);
    } else if (from.secretKeyRef) {
      w.write(3, `${e.name}:\t<set to the key '${from.secretKeyRef.key}' in secret '${from.secretKeyRef.name ?? ""}'>\tOptional: ${from.secretKeyRef.optional ?? false}\n`);
    } else if (from.configMapKeyRef) {
      w.write(3, `${e.name}:\t<set to the key '${from.configMapKeyRef.key}' of config map '${from.configMapKeyRef.name ?? ""}'>\tOptional: ${from.configMapKeyRef.optional ?? false}\n`);
    }
  }
}

function mounts(w: Writer, c: Container): void {
  const list = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0));
  w.write(2, `Mounts:${list.length === 0 ? "\t<none>" : ""}\n`);
  for (const m of list) {
    const flags = [m.readOnly ? "ro" : "rw", ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(",")})\n`);
  }
}

function volumes(w: Writer, list: readonly Volume[]): void {
  if (list.length === 0) {
    w.write(0, "  Volumes:\t<none>\n");
    return;
  }
  w.write(0, "  Volumes:\n");
  for (const v of list) {
    w.write(1, ` ${v.name}:\n`);
    for (const [key, value] of volumeFields(v)) w.write(2, `${key}:\t${value}\n`);
  }
}

/** The lines kubectl prints for the volume sources mirrorkube types; others as kubectl's fallback. */
function volumeFields(v: Volume): [string, string][] {
  if (v.hostPath) return [["Type", "HostPath (bare host directory volume)"], ["Path", v.hostPath.path], ["HostPathType", v.hostPath.type || "<none>"]];
  if (v.emptyDir) {
    const limit = v.emptyDir.sizeLimit === undefined ? "<unset>" : formatQuantity(v.emptyDir.sizeLimit);
    return [["Type", "EmptyDir (a temporary directory that shares a pod's lifetime)"], ["Medium", v.emptyDir.medium ?? ""], ["SizeLimit", limit === "0" ? "<unset>" : limit]];
  }
  if (v.secret) return [["Type", "Secret (a volume populated by a Secret)"], ["SecretName", v.secret.secretName ?? ""], ["Optional", String(v.secret.optional ?? false)]];
  if (v.configMap) return [["Type", "ConfigMap (a volume populated by a ConfigMap)"], ["Name", v.configMap.name ?? ""], ["Optional", String(v.configMap.optional ?? false)]];
  if (v.persistentVolumeClaim) {
    return [
      ["Type", "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)"],
      ["ClaimName", v.persistentVolumeClaim.claimName],
      ["ReadOnly", String(v.persistentVolumeClaim.readOnly ?? false)],
    ];
  }
  const source = Object.keys(v).find((k) => k !== "name");
  return [["Type", source ? `${source[0]?.toUpperCase()}${source.slice(1)}` : "<unknown>"]];
}
