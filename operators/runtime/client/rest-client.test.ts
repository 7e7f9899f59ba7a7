import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { metricValue } from "../metrics.ts";
import { ApiError, isConflict } from "./api-error.ts";
import { fakeToken, kubeConfigFor, sendJson, startFakeApiServer } from "./fake-api-server.ts";
import type { FakeApiServer } from "./fake-api-server.ts";
import { RestClient } from "./rest-client.ts";

let server: FakeApiServer;
let rest: RestClient;

beforeEach(async () => {
  server = await startFakeApiServer();
  rest = new RestClient(server.kubeConfig);
});

afterEach(async () => {
  await server.close();
});

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe("RestClient.request", () => {
  it("sends the kubeconfig's auth and the query, and parses the JSON answer", async () => {
    server.respond((_req, res) => sendJson(res, 200, { kind: "Thing", n: 1 }));
    const body = await rest.request({ method: "GET", path: "/api/v1/pods", query: { limit: 5, labelSelector: "a=b", skip: undefined } });
    expect(body).toEqual({ kind: "Thing", n: 1 });
    const [req] = server.requests;
    expect(req?.headers.authorization).toBe(`Bearer ${fakeToken}`);
    expect(req?.url.pathname).toBe("/api/v1/pods");
    expect(Object.fromEntries(req!.url.searchParams)).toEqual({ limit: "5", labelSelector: "a=b" });
  });

  it("sends the body as JSON with the content type asked for", async () => {
    await rest.request({ method: "PATCH", path: "/x", body: { a: 1 }, contentType: "application/merge-patch+json" });
    const [req] = server.requests;
    expect(req?.headers["content-type"]).toBe("application/merge-patch+json");
    expect(JSON.parse(req!.body)).toEqual({ a: 1 });
  });

  it("turns a Status error body into an ApiError; a 409 is a conflict", async () => {
    server.respond((_req, res) =>
      sendJson(res, 409, {
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        reason: "Conflict",
        code: 409,
        message: "the object has been modified",
        details: { name: "x", kind: "pods" },
      }),
    );
    const err = await rest.request({ method: "PUT", path: "/x", body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 409, reason: "Conflict", message: "the object has been modified", details: { name: "x" } });
    expect(isConflict(err)).toBe(true);
  });

  it("gives an ApiError with the HTTP code for an error body that is not a Status", async () => {
    server.respond((_req, res) => {
      res.writeHead(502);
      res.end("<html>bad gateway</html>");
    });
    const err = await rest.request({ method: "GET", path: "/x" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 502, reason: "InternalError", message: "<html>bad gateway</html>" });
  });

  it("counts every request in rest_client_requests_total by code, method and host", async () => {
    const host = new URL(server.url).host;
    server.respond((req, res) => sendJson(res, req.method === "DELETE" ? 404 : 200, { kind: "Status", code: 404 }));
    await rest.request({ method: "GET", path: "/a" });
    await rest.request({ method: "GET", path: "/b" });
    await rest.request({ method: "DELETE", path: "/c" }).catch(() => undefined);
    expect(await metricValue("rest_client_requests_total", { code: "200", method: "GET", host })).toBe(2);
    expect(await metricValue("rest_client_requests_total", { code: "404", method: "DELETE", host })).toBe(1);
  });

  it("counts a request that got no response as <error> and rethrows", async () => {
    const closed = await startFakeApiServer();
    const host = new URL(closed.url).host;
    await closed.close();
    const client = new RestClient(kubeConfigFor(closed.url));
    await expect(client.request({ method: "GET", path: "/x" })).rejects.toThrow(/ECONNREFUSED/);
    expect(await metricValue("rest_client_requests_total", { code: "<error>", method: "GET", host })).toBe(1);
  });
});

describe("RestClient.stream", () => {
  it("yields every line, including unparsable and truncated ones", async () => {
    server.respond((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write('{"type":"ADDED"}\n{"type":"MOD');
      res.write('IFIED"}\nnot json\n\n{"trunc');
      res.end();
    });
    const lines = await collect(rest.stream({ method: "GET", path: "/w", query: { watch: true } }));
    expect(lines).toEqual(['{"type":"ADDED"}', '{"type":"MODIFIED"}', "not json", '{"trunc']);
  });

  it("throws an ApiError when the watch is refused", async () => {
    server.respond((_req, res) => sendJson(res, 410, { kind: "Status", code: 410, reason: "Expired", message: "too old" }));
    await expect(collect(rest.stream({ method: "GET", path: "/w" }))).rejects.toMatchObject({ code: 410, reason: "Expired" });
  });

  it("stops when its signal aborts", async () => {
    server.respond((_req, res) => {
      res.writeHead(200);
      res.write('{"n":1}\n'); // and never ends
    });
    const abort = new AbortController();
    const seen: string[] = [];
    const done = (async () => {
      for await (const line of rest.stream({ method: "GET", path: "/w", signal: abort.signal })) {
        seen.push(line);
        abort.abort();
      }
    })();
    await expect(done).rejects.toThrow(/abort/i);
    expect(seen).toEqual(['{"n":1}']);
  });
});

describe("RestClient connections", () => {
  it("reuses one keep-alive connection for sequential requests", async () => {
    for (let i = 0; i < 5; i++) await rest.request({ method: "GET", path: `/r${i}` });
    expect(server.requests).toHaveLength(5);
    expect(server.connections).toBe(1);
  });

  it("serves requests while watches hold more connections than the request pool has", async () => {
    const client = new RestClient(server.kubeConfig, "t", { maxSockets: 1 });
    server.respond((req, res) => {
      if (req.url.pathname !== "/w") return sendJson(res, 200, { ok: true });
      res.writeHead(200);
      res.write('{"n":1}\n'); // and holds the connection, as a watch does
    });
    const watches = [1, 2, 3].map(() => client.stream({ method: "GET", path: "/w" })[Symbol.asyncIterator]());
    for (const w of watches) expect((await w.next()).value).toBe('{"n":1}');
    await expect(client.request({ method: "GET", path: "/x" })).resolves.toEqual({ ok: true });
    await Promise.all(watches.map((w) => w.return()));
  });

  describe("when the server drops a connection it kept alive", () => {
    // The server closes each connection on its second request, before answering.
    beforeEach(() => {
      const served = new WeakMap<object, number>();
      server.respond((_req, res) => {
        const n = (served.get(res.socket!) ?? 0) + 1;
        served.set(res.socket!, n);
        if (n > 1) res.socket!.destroy();
        else sendJson(res, 200, { n });
      });
    });

    it("retries a GET once on a new connection", async () => {
      await rest.request({ method: "GET", path: "/a" });
      await expect(rest.request({ method: "GET", path: "/b" })).resolves.toEqual({ n: 1 });
      expect(server.connections).toBe(2);
    });

    it("does not retry a write, which may have reached the server", async () => {
      await rest.request({ method: "GET", path: "/a" });
      await expect(rest.request({ method: "POST", path: "/b", body: {} })).rejects.toMatchObject({ code: "ECONNRESET" });
      expect(server.requests.map((r) => r.method)).toEqual(["GET", "POST"]);
    });
  });
});

describe("RestClient with a rate limit", () => {
  it("sends the burst at once and spaces the rest 1/qps apart", async () => {
    const limited = new RestClient(server.kubeConfig, "t", { rateLimit: { qps: 20, burst: 2 } });
    const started = performance.now();
    await Promise.all(Array.from({ length: 5 }, () => limited.request({ method: "GET", path: "/x" })));
    // Two at once, then three more at 50 ms intervals.
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.requests).toHaveLength(5);
    limited.close();
  });
});
