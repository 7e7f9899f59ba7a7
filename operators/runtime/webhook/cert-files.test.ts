import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { freePort } from "../../../hack/cluster/ports.ts";
import type { ResourceClient } from "../client/index.ts";
import { CA_FILE, CERT_FILE, KEY_FILE, readCertificateFiles } from "./cert-files.ts";
import { issueServingCertificate, newCertificateAuthority } from "./certs.ts";
import type { ValidatingWebhookConfiguration } from "./configuration.ts";
import { WebhookServer } from "./server.ts";

/** What a kubernetes.io/tls Secret with ca.crt looks like mounted. */
function writeSecret(dir: string, host = "127.0.0.1"): string {
  const ca = newCertificateAuthority("test-ca");
  const serving = issueServingCertificate(ca, [host]);
  writeFileSync(join(dir, CERT_FILE), serving.certPem);
  writeFileSync(join(dir, KEY_FILE), serving.keyPem);
  writeFileSync(join(dir, CA_FILE), ca.certPem);
  return ca.certPem;
}

/** A TLS handshake that trusts `ca` only; resolves with the HTTP status or the TLS error. */
function handshake(port: number, ca: string): Promise<string> {
  return new Promise((resolve) => {
    const req = get({ host: "127.0.0.1", port, path: "/nothing", ca, agent: false }, (res) => {
      res.resume();
      resolve(String(res.statusCode));
    });
    req.on("error", (err) => resolve(err.message));
  });
}

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  let last = await fn();
  for (let i = 0; i < 200 && !ok(last); i++) {
    await new Promise((r) => setTimeout(r, 25));
    last = await fn();
  }
  return last;
}

describe("certificate files", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "certs-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("reads tls.crt, tls.key and ca.crt", () => {
    const ca = writeSecret(dir);
    expect(readCertificateFiles(dir).caPem).toBe(ca);
  });

  it("refuses a missing file, a certificate of another CA, and a key of another certificate", () => {
    expect(() => readCertificateFiles(dir)).toThrow(`cannot read ${join(dir, CERT_FILE)}`);
    writeSecret(dir);
    writeFileSync(join(dir, CA_FILE), newCertificateAuthority("other").certPem);
    expect(() => readCertificateFiles(dir)).toThrow(/is not signed by/);
    writeSecret(dir);
    writeFileSync(join(dir, KEY_FILE), issueServingCertificate(newCertificateAuthority("x"), ["x"]).keyPem);
    expect(() => readCertificateFiles(dir)).toThrow(/is not the key of/);
  });

  it("serves the files, and a renewed certificate and CA once they change, writing the new CA as caBundle", async () => {
    const applied: ValidatingWebhookConfiguration[] = [];
    const client = { apply: async (obj: ValidatingWebhookConfiguration) => (applied.push(obj), obj) } as unknown as ResourceClient<ValidatingWebhookConfiguration>;
    const firstCa = writeSecret(dir);
    const port = await freePort();
    const server = new WebhookServer({ bindAddress: `127.0.0.1:${port}`, endpoint: { url: `https://127.0.0.1:${port}` }, configurations: client, configurationName: "t", certDir: dir, certPollMs: 20 });
    server.register("/v", () => ({ allowed: true }));
    server.addValidatingWebhook({ name: "v.example.com", path: "/v", rules: [], failurePolicy: "Fail", sideEffects: "None", timeoutSeconds: 5 });
    const stop = new AbortController();
    const running = server.start(stop.signal);
    try {
      expect(await eventually(() => handshake(port, firstCa), (s) => s === "404")).toBe("404");
      expect(await eventually(async () => server.readyCheck()(), (p) => p === undefined)).toBeUndefined();
      expect(applied.map((c) => c.webhooks?.[0]?.clientConfig.caBundle)).toEqual([Buffer.from(firstCa).toString("base64")]);

      const secondCa = writeSecret(dir);
      expect(await eventually(() => handshake(port, secondCa), (s) => s === "404")).toBe("404");
      expect(await handshake(port, firstCa)).not.toBe("404");
      await eventually(async () => applied.length, (n) => n === 2);
      expect(applied[1]?.webhooks?.[0]?.clientConfig.caBundle).toBe(Buffer.from(secondCa).toString("base64"));
      expect(await server.readyCheck()()).toBeUndefined();

      // Broken files (a half-written swap) leave the last good certificate in service.
      writeFileSync(join(dir, KEY_FILE), "garbage");
      await new Promise((r) => setTimeout(r, 100));
      expect(await handshake(port, secondCa)).toBe("404");
    } finally {
      stop.abort();
      await running;
    }
  });
});
