import { describe, expect, it } from "vitest";
import { run } from "./run.ts";

/** Runs a command line that fails or finishes before it needs a cluster. */
async function cli(...argv: string[]) {
  let out = "";
  let err = "";
  const code = await run(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe("mirrorkube (before any request)", () => {
  it("lists the rollout verbs when given no verb", async () => {
    const r = await cli("rollout");
    expect(r.code).toBe(0);
    for (const verb of ["status", "history", "undo", "pause", "resume", "restart"]) expect(r.out).toMatch(new RegExp(`^  ${verb} +\\S`, "m"));
  });

  it("refuses unknown commands, flags and missing resources as kubectl does, exit code 1", async () => {
    expect(await cli("scale", "web")).toEqual({ code: 1, out: "", err: 'error: unknown command "scale" for "mirrorkube"\nRun \'mirrorkube --help\' for usage.\n' });
    expect(await cli("rollout", "foo", "deploy/web")).toEqual({ code: 1, out: "", err: "error: unknown command \"foo deploy/web\"\nSee 'mirrorkube rollout -h' for help and examples\n" });
    expect(await cli("rollout", "status", "web", "--to-revision=2")).toEqual({ code: 1, out: "", err: "error: unknown flag: --to-revision\nSee 'mirrorkube rollout status --help' for usage.\n" });
    expect(await cli("-n", "ns", "rollout", "undo")).toEqual({ code: 1, out: "", err: "error: required resource not specified\n" });
    expect(await cli("rollout", "history", "daemonset/db")).toEqual({ code: 1, out: "", err: 'error: the server doesn\'t have a resource type "daemonset"\n' });
  });

  it("answers --help for a verb", async () => {
    const r = await cli("rollout", "undo", "--help");
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toContain("mirrorkube rollout undo (TYPE NAME | TYPE/NAME | NAME)");
  });
});
