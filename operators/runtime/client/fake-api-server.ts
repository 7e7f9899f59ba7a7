// Test support: a local HTTP server standing in for the API server, and a
// KubeConfig pointing at it with a bearer token, so tests see exactly what
// the client puts on the wire.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { KubeConfig } from "@kubernetes/client-node";

export interface RecordedRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Responder = (req: RecordedRequest, res: http.ServerResponse) => void;

export interface FakeApiServer {
  url: string;
  kubeConfig: KubeConfig;
  requests: RecordedRequest[];
  /** TCP connections accepted so far: fewer than requests means keep-alive reuse. */
  readonly connections: number;
  respond(responder: Responder): void;
  close(): Promise<void>;
}

export const fakeToken = "test-token";

export async function startFakeApiServer(): Promise<FakeApiServer> {
  let responder: Responder = (_req, res) => sendJson(res, 200, {});
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (body += chunk));
    req.on("end", () => {
      const recorded = { method: req.method ?? "", url: new URL(req.url ?? "/", "http://fake"), headers: req.headers, body };
      requests.push(recorded);
      responder(recorded, res);
    });
  });
  let connections = 0;
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    kubeConfig: kubeConfigFor(url),
    requests,
    get connections() {
      return connections;
    },
    respond: (r) => (responder = r),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function kubeConfigFor(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node only allows plain http with skipTLSVerify set.
    clusters: [{ name: "fake", server, skipTLSVerify: true }],
    users: [{ name: "tester", token: fakeToken }],
    contexts: [{ name: "fake", cluster: "fake", user: "tester" }],
    currentContext: "fake",
  });
  return kc;
}

export function sendJson(res: http.ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}
