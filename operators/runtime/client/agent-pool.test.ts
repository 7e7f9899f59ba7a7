import { describe, expect, it } from "vitest";
import { AgentPool, sameTls } from "./agent-pool.ts";

const pem = (s: string) => Buffer.from(`-----BEGIN ${s}-----`);

describe("AgentPool", () => {
  it("hands out one agent per purpose while the credentials stay the same", () => {
    const pool = new AgentPool();
    // client-node reads the material afresh each time: equal content, new Buffers.
    const a = pool.agentFor("https:", { ca: pem("CA"), cert: pem("CERT"), key: pem("KEY") }, "request");
    const b = pool.agentFor("https:", { ca: pem("CA"), cert: pem("CERT"), key: pem("KEY") }, "request");
    const watch = pool.agentFor("https:", { ca: pem("CA"), cert: pem("CERT"), key: pem("KEY") }, "watch");
    expect(b).toBe(a);
    expect(watch).not.toBe(a);
    expect(a).toMatchObject({ keepAlive: true, maxSockets: 32 });
    expect(watch.maxSockets).toBe(Infinity);
    pool.destroy();
  });

  it("builds a new agent for rotated credentials and retires the old one", () => {
    const pool = new AgentPool();
    const old = pool.agentFor("https:", { ca: pem("CA"), cert: pem("CERT-1") }, "request");
    const rotated = pool.agentFor("https:", { ca: pem("CA"), cert: pem("CERT-2") }, "request");
    expect(rotated).not.toBe(old);
    // A retired agent keeps no connection once its in-flight requests end.
    expect(old.keepSocketAlive({} as never)).toBe(false);
    pool.destroy();
  });
});

describe("sameTls", () => {
  it("compares buffers by content and every other field by value", () => {
    expect(sameTls({ ca: [pem("A"), pem("B")], rejectUnauthorized: false }, { ca: [pem("A"), pem("B")], rejectUnauthorized: false })).toBe(true);
    expect(sameTls({ ca: pem("A") }, { ca: pem("A"), servername: "x" })).toBe(false);
    expect(sameTls({ key: pem("A") }, { key: pem("B") })).toBe(false);
    expect(sameTls({}, { rejectUnauthorized: false })).toBe(false);
  });
});
