// The admission webhook server, as controller-runtime's webhook.Server: one
// TLS listener, handlers by path, AdmissionReview v1 in and out, the
// controller_runtime_webhook_* metrics, and a readiness check that dials the
// server over TLS. Its certificate comes from a CA made at start, or from
// files (certDir: a mounted Secret, re-read as it changes); the
// ValidatingWebhookConfiguration of its webhooks is written with that CA as
// caBundle once it listens, so the API server never calls a server that
// cannot answer.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import { connect } from "node:tls";
import { isIP } from "node:net";
import type { ResourceClient } from "../client/index.ts";
import type { Check } from "../health.ts";
import { listenOn } from "../health.ts";
import { readBody } from "../http-body.ts";
import { log } from "../logging.ts";
import type { Runnable } from "../manager/manager.ts";
import type { AdmissionDecision, AdmissionHandler, AdmissionReview } from "./admission.ts";
import { readCertificateFiles, sameFiles, type CertificateFiles } from "./cert-files.ts";
import { issueServingCertificate, newCertificateAuthority } from "./certs.ts";
import { applyConfiguration, type LabelSelectorSpec, type ValidatingWebhook, type ValidatingWebhookConfiguration, type WebhookClientConfig } from "./configuration.ts";
import { webhookInFlight, webhookLatency, webhookPanics, webhookRequests } from "./metrics.ts";

/** How the API server reaches this server: a URL (outside the cluster), or a Service in front of the manager's pods. */
export type WebhookEndpoint = { url: string } | { service: { namespace: string; name: string; port?: number } };

export interface WebhookServerOptions {
  /** "host:port" to listen on. */
  bindAddress: string;
  endpoint: WebhookEndpoint;
  /** Writes the ValidatingWebhookConfiguration. */
  configurations: ResourceClient<ValidatingWebhookConfiguration>;
  /** The name of the one ValidatingWebhookConfiguration that holds every webhook this server serves. */
  configurationName: string;
  /** Namespaces the webhooks apply to (every one when absent). */
  namespaceSelector?: LabelSelectorSpec;
  /** Serve on the leader only (when the handlers share state with leader-only controllers). */
  needLeaderElection?: boolean;
  /**
   * Serve the certificate in this directory (tls.crt, tls.key, ca.crt),
   * re-read every certPollMs, instead of one from a CA made at start.
   */
  certDir?: string;
  certPollMs?: number;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const SELF_DIAL_TIMEOUT_MS = 2_000;
const APPLY_RETRY_MS = 2_000;
const IDLE_CONNECTION_MS = 120_000;
// controller-runtime's certwatcher polls every 10 s besides watching.
const CERT_POLL_MS = 10_000;

export class WebhookServer implements Runnable {
  readonly name = "webhook-server";
  readonly needLeaderElection: boolean;
  private certs: CertificateFiles;
  /** The name the generated certificate is for (the TLS server name of the self-dial). */
  private readonly serverName: string | undefined;
  /** Writes of the configuration, one after the other. */
  private applying: Promise<void> = Promise.resolve();
  private readonly handlers = new Map<string, AdmissionHandler>();
  private readonly webhooks: ValidatingWebhook[] = [];
  private state: "stopped" | "listening" | "configured" = "stopped";

  constructor(private readonly options: WebhookServerOptions) {
    this.needLeaderElection = options.needLeaderElection ?? false;
    if (options.certDir) {
      // Read now: a missing or mismatched Secret fails the process at start, not at the first review.
      this.certs = readCertificateFiles(options.certDir);
      this.serverName = undefined;
    } else {
      const ca = newCertificateAuthority("mirrorkube-webhook-ca");
      const serving = issueServingCertificate(ca, certificateHosts(options.endpoint));
      this.certs = { certPem: serving.certPem, keyPem: serving.keyPem, caPem: ca.certPem };
      this.serverName = serving.hosts.find((h) => isIP(h) === 0);
    }
  }

  /** base64 PEM of the CA, for caBundle. */
  get caBundle(): string {
    return Buffer.from(this.certs.caPem).toString("base64");
  }

  /** Serves `handler` at `path` (e.g. "/validate-resourcequota"). */
  register(path: string, handler: AdmissionHandler): void {
    if (this.handlers.has(path)) throw new Error(`a webhook is already registered at ${path}`);
    this.handlers.set(path, handler);
  }

  /**
   * A webhook of the configuration written once the server listens, served
   * at its `path`. The configuration is left in place at shutdown: with
   * failurePolicy Fail, nothing it guards passes unchecked while no manager
   * serves it.
   */
  addValidatingWebhook(webhook: ValidatingWebhook): void {
    if (!this.handlers.has(webhook.path)) throw new Error(`webhook ${webhook.name}: nothing is registered at ${webhook.path}`);
    this.webhooks.push(this.options.namespaceSelector ? { ...webhook, namespaceSelector: this.options.namespaceSelector } : webhook);
  }

  /** /readyz: the server answers TLS with its certificate, and its configuration is written. */
  readyCheck(): Check {
    return async () => {
      if (this.state === "stopped") return "webhook server not started";
      if (this.state === "listening") return "webhook configuration not written yet";
      return this.dialSelf();
    };
  }

  async start(signal: AbortSignal): Promise<void> {
    const server = createServer({ key: this.certs.keyPem, cert: this.certs.certPem }, (req, res) => void this.handle(req, res));
    // The API server keeps connections idle for up to 90 s (Go's IdleConnTimeout); were we
    // to close one first, a request it sends on it at that moment fails with a reset.
    server.keepAliveTimeout = IDLE_CONNECTION_MS;
    await listenOn(server, this.options.bindAddress);
    this.state = "listening";
    log.info({ address: this.options.bindAddress, paths: [...this.handlers.keys()], endpoint: this.options.endpoint }, "webhook server listening");
    await this.apply(signal);
    const poll = this.options.certDir ? setInterval(() => this.reloadCertificates(server, signal), this.options.certPollMs ?? CERT_POLL_MS) : undefined;
    await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));
    clearInterval(poll);
    this.state = "stopped";
    await this.applying;
    await close(server);
  }

  /** Serves renewed files from the next handshake on; a new CA is written to the configuration. */
  private reloadCertificates(server: Server, signal: AbortSignal): void {
    let next: CertificateFiles;
    try {
      next = readCertificateFiles(this.options.certDir ?? "");
    } catch (err) {
      // Half-written while the kubelet swaps them, or broken: keep serving what works.
      log.warn({ err }, "webhook certificate files unreadable; serving the previous certificate");
      return;
    }
    const same = sameFiles(this.certs, next);
    if (same.serving && same.ca) return;
    if (!same.serving) server.setSecureContext({ key: next.keyPem, cert: next.certPem });
    this.certs = next;
    log.info({ dir: this.options.certDir, caChanged: !same.ca }, "webhook certificate reloaded");
    if (!same.ca) void this.apply(signal);
  }

  private apply(signal: AbortSignal): Promise<void> {
    this.applying = this.applying.then(() => this.applyUntilDone(signal));
    return this.applying;
  }

  private async applyUntilDone(signal: AbortSignal): Promise<void> {
    const { configurations, configurationName } = this.options;
    while (!signal.aborted) {
      try {
        if (this.webhooks.length > 0) await applyConfiguration(configurations, configurationName, this.webhooks, (path) => this.clientConfig(path));
        this.state = "configured";
        log.info({ configuration: configurationName, webhooks: this.webhooks.map((w) => w.name) }, "webhook configuration written");
        return;
      } catch (err) {
        log.error({ err }, "writing the webhook configuration failed; retrying");
        await new Promise((r) => setTimeout(r, APPLY_RETRY_MS));
      }
    }
  }

  private clientConfig(path: string): WebhookClientConfig {
    const { endpoint } = this.options;
    if ("url" in endpoint) return { url: `${endpoint.url.replace(/\/+$/, "")}${path}`, caBundle: this.caBundle };
    return { service: { ...endpoint.service, path }, caBundle: this.caBundle };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const handler = this.handlers.get(path);
    if (!handler) {
      res.writeHead(404).end("not found\n");
      return;
    }
    const inFlight = webhookInFlight.labels({ webhook: path });
    inFlight.inc();
    const started = process.hrtime.bigint();
    let code = 200;
    try {
      const answer = await this.review(req, handler);
      code = answer.code;
      res.writeHead(code, { "Content-Type": "application/json" }).end(JSON.stringify(answer.body));
    } finally {
      inFlight.dec();
      webhookRequests.inc({ webhook: path, code: String(code) });
      webhookLatency.observe({ webhook: path, code: String(code) }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  /** The AdmissionReview answer; malformed reviews get HTTP 400, as controller-runtime answers them. */
  private async review(req: IncomingMessage, handler: AdmissionHandler): Promise<{ code: number; body: unknown }> {
    if (req.method !== "POST") return { code: 405, body: { error: `method ${req.method} not allowed` } };
    let review: AdmissionReview;
    try {
      review = JSON.parse(await readBody(req, MAX_BODY_BYTES)) as AdmissionReview;
    } catch (err) {
      return { code: 400, body: { error: `unable to decode the request: ${(err as Error).message}` } };
    }
    const request = review.request;
    if (review.kind !== "AdmissionReview" || review.apiVersion !== "admission.k8s.io/v1" || !request?.uid) {
      return { code: 400, body: { error: "expected an admission.k8s.io/v1 AdmissionReview with a request" } };
    }
    const abort = new AbortController();
    req.once("close", () => abort.abort());
    let decision: AdmissionDecision;
    try {
      decision = await handler(request, abort.signal);
    } catch (err) {
      // controller-runtime recovers a handler's panic and answers 500 in the review.
      webhookPanics.inc();
      log.error({ err, uid: request.uid, resource: request.resource, name: request.name }, "webhook handler failed");
      decision = { allowed: false, status: { status: "Failure", code: 500, reason: "InternalError", message: (err as Error).message } };
    }
    return { code: 200, body: { apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: request.uid, ...decision } } };
  }

  private dialSelf(): Promise<string | undefined> {
    const i = this.options.bindAddress.lastIndexOf(":");
    const host = this.options.bindAddress.slice(0, i);
    const port = Number(this.options.bindAddress.slice(i + 1));
    const target = !host || host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
    return new Promise((resolve) => {
      const socket = connect({ host: target, port, ca: this.certs.caPem, servername: this.serverName, checkServerIdentity: () => undefined, timeout: SELF_DIAL_TIMEOUT_MS });
      const done = (problem: string | undefined) => {
        socket.destroy();
        resolve(problem);
      };
      socket.once("secureConnect", () => done(socket.authorized ? undefined : `webhook certificate not trusted: ${socket.authorizationError?.message ?? "unknown"}`));
      socket.once("error", (err) => done(`webhook server unreachable: ${err.message}`));
      socket.once("timeout", () => done("webhook server did not answer the TLS handshake in time"));
    });
  }
}

/**
 * The endpoint from the manager's flags: --webhook-url, or --webhook-service
 * "namespace/name[:port]" (in cluster), or else https on the bind address
 * itself (a manager beside a local API server: https://127.0.0.1:<port>).
 */
export function webhookEndpoint(bindAddress: string, url?: string, service?: string): WebhookEndpoint {
  if (url && service) throw new Error("give --webhook-url or --webhook-service, not both");
  if (url) return { url };
  if (service) {
    const m = /^([^/]+)\/([^:]+)(?::(\d+))?$/.exec(service);
    if (!m) throw new Error(`--webhook-service must read namespace/name[:port], not "${service}"`);
    return { service: { namespace: m[1] ?? "", name: m[2] ?? "", ...(m[3] && { port: Number(m[3]) }) } };
  }
  const i = bindAddress.lastIndexOf(":");
  const host = bindAddress.slice(0, i);
  const local = !host || host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return { url: `https://${local.includes(":") ? `[${local}]` : local}:${bindAddress.slice(i + 1)}` };
}

/** The certificate's names: the URL's host, or the Service's DNS names. */
export function certificateHosts(endpoint: WebhookEndpoint): string[] {
  if ("url" in endpoint) {
    const url = new URL(endpoint.url);
    if (url.protocol !== "https:") throw new Error(`the webhook URL must be https: ${endpoint.url}`);
    return [url.hostname.replace(/^\[(.*)\]$/, "$1")];
  }
  const { name, namespace } = endpoint.service;
  return [`${name}.${namespace}.svc`, `${name}.${namespace}.svc.cluster.local`, `${name}.${namespace}`];
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
