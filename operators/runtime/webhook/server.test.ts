import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ResourceClient } from "../client/index.ts";
import { freePort } from "../../../hack/cluster/ports.ts";
import { metricValue } from "../metrics.ts";
import { denied } from "./admission.ts";
import type { ValidatingWebhookConfiguration } from "./configuration.ts";
import { certificateHosts, webhookEndpoint, WebhookServer } from "./server.ts";

function post(port: number, path: string, ca: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "POST", ca, headers: { "Content-Type": "application/json" } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const review = (uid: string, extra: object = {}) => JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", request: { uid, operation: "CREATE", namespace: "ns", ...extra } });

describe("WebhookServer", () => {
  const applied: ValidatingWebhookConfiguration[] = [];
  const client = { apply: async (obj: ValidatingWebhookConfiguration) => (applied.push(obj), obj) } as unknown as ResourceClient<ValidatingWebhookConfiguration>;
  const stop = new AbortController();
  let server: WebhookServer;
  let port: number;
  let running: Promise<void>;

  beforeAll(async () => {
    port = await freePort();
    server = new WebhookServer({ bindAddress: `127.0.0.1:${port}`, endpoint: webhookEndpoint(`127.0.0.1:${port}`), configurations: client, configurationName: "test", namespaceSelector: { matchLabels: { team: "a" } } });
    server.register("/validate", (req) => (req.namespace === "ns" && (req.object as { deny?: boolean } | undefined)?.deny ? denied(403, "Forbidden", "no") : { allowed: true }));
    server.register("/broken", () => {
      throw new Error("handler bug");
    });
    server.addValidatingWebhook({ name: "v.example.com", path: "/validate", rules: [], failurePolicy: "Fail", sideEffects: "None", timeoutSeconds: 5 });
    expect(await server.readyCheck()()).toBe("webhook server not started");
    running = server.start(stop.signal);
    const check = server.readyCheck();
    for (let i = 0; i < 100 && (await check()) !== undefined; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await check()).toBeUndefined();
  });
  afterAll(async () => {
    stop.abort();
    await running;
  });

  const ca = () => Buffer.from(server.caBundle, "base64").toString();

  it("writes its configuration with the CA, its URL and the namespace selector", () => {
    expect(applied).toEqual([
      {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingWebhookConfiguration",
        metadata: { name: "test", labels: { "app.kubernetes.io/managed-by": "mirrorkube" } },
        webhooks: [
          {
            name: "v.example.com",
            rules: [],
            failurePolicy: "Fail",
            sideEffects: "None",
            timeoutSeconds: 5,
            namespaceSelector: { matchLabels: { team: "a" } },
            clientConfig: { url: `https://127.0.0.1:${port}/validate`, caBundle: server.caBundle },
            admissionReviewVersions: ["v1"],
          },
        ],
      },
    ]);
  });

  it("answers AdmissionReviews over TLS with the request's uid, and counts them", async () => {
    const before = await metricValue("controller_runtime_webhook_requests_total", { webhook: "/validate", code: "200" });
    const yes = await post(port, "/validate", ca(), review("u1"));
    expect(yes.status).toBe(200);
    expect(JSON.parse(yes.body)).toEqual({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: "u1", allowed: true } });
    const no = JSON.parse((await post(port, "/validate", ca(), review("u2", { object: { deny: true } }))).body);
    expect(no.response).toEqual({ uid: "u2", allowed: false, status: { status: "Failure", code: 403, reason: "Forbidden", message: "no" } });
    expect(await metricValue("controller_runtime_webhook_requests_total", { webhook: "/validate", code: "200" })).toBe(before + 2);
    expect(await metricValue("controller_runtime_webhook_requests_in_flight", { webhook: "/validate" })).toBe(0);
  });

  it("answers a handler's failure as a 500 in the review, and a malformed review with HTTP 400", async () => {
    const broken = JSON.parse((await post(port, "/broken", ca(), review("u3"))).body);
    expect(broken.response).toMatchObject({ uid: "u3", allowed: false, status: { code: 500, message: "handler bug" } });
    expect((await post(port, "/validate", ca(), "{not json")).status).toBe(400);
    expect((await post(port, "/validate", ca(), JSON.stringify({ kind: "Other" }))).status).toBe(400);
    expect((await post(port, "/nothing", ca(), review("u4"))).status).toBe(404);
  });
});

describe("webhookEndpoint", () => {
  it("takes a URL, a Service, or the bind address itself", () => {
    expect(webhookEndpoint(":9443")).toEqual({ url: "https://127.0.0.1:9443" });
    expect(webhookEndpoint("10.0.0.5:9443")).toEqual({ url: "https://10.0.0.5:9443" });
    expect(webhookEndpoint(":9443", "https://host.example:8443")).toEqual({ url: "https://host.example:8443" });
    expect(webhookEndpoint(":9443", undefined, "mirrorkube/webhook:443")).toEqual({ service: { namespace: "mirrorkube", name: "webhook", port: 443 } });
    expect(() => webhookEndpoint(":9443", undefined, "webhook")).toThrow(/namespace\/name/);
    expect(certificateHosts({ service: { namespace: "m", name: "w" } })).toEqual(["w.m.svc", "w.m.svc.cluster.local", "w.m"]);
    expect(() => certificateHosts({ url: "http://x" })).toThrow(/https/);
  });
});
