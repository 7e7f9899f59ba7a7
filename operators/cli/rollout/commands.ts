// The verbs of `mirrorkube rollout`, as kubectl's pkg/cmd/rollout runs
// them for a built-in kind: same flags, same lines on stdout, same errors.
import { ResourceClient, type KubeObject, type Patch, type RestClient } from "../../runtime/client/index.ts";
import { CliError } from "../errors.ts";
import type { FlagSpec, FlagValues } from "../flags.ts";
import type { RolloutApi, RolloutKind } from "./kind.ts";
import type { Target } from "./targets.ts";
import { watchStatus } from "./watch-status.ts";

export interface CommandContext {
  rest: RestClient;
  namespace: string;
  flags: FlagValues;
  targets: Target[];
  out(text: string): void;
  now(): Date;
}

export interface Verb {
  summary: string;
  flags: FlagSpec[];
  run(ctx: CommandContext): Promise<void>;
}

/** Who the writes come from in managedFields (kubectl says kubectl-rollout). */
const FIELD_MANAGER = "mirrorkube-rollout";

function apiFor(ctx: CommandContext, kind: RolloutKind): RolloutApi {
  return { rest: ctx.rest, client: new ResourceClient<KubeObject>(ctx.rest, kind.resource), namespace: ctx.namespace };
}

/** kubectl's name printer: `<kind>.<group>/<name> <operation>`. */
function printed(kind: RolloutKind, name: string, operation: string): string {
  return `${kind.kindGroup}/${name} ${operation}\n`;
}

function nonNegative(flags: FlagValues, flag: string): number {
  const value = Number(flags[flag] ?? 0);
  if (value < 0) throw new CliError(`revision must be a positive integer: ${value}`);
  return value;
}

/** Runs `fn` for every target, as kubectl visits them: all are tried, the errors reported together. */
async function eachTarget(ctx: CommandContext, fn: (t: Target, api: RolloutApi, obj: KubeObject) => Promise<void>): Promise<void> {
  const errors: unknown[] = [];
  for (const t of ctx.targets) {
    const api = apiFor(ctx, t.kind);
    try {
      await fn(t, api, await api.client.get({ namespace: ctx.namespace, name: t.name }));
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new CliError(`[${errors.map((e) => (e instanceof Error ? e.message : String(e))).join(", ")}]`);
}

/** pause, resume and restart: a patch the kind computes, or the reason it cannot. */
function patchVerb(summary: string, done: string, patchOf: (kind: RolloutKind, obj: KubeObject, now: Date) => Patch): Verb {
  return {
    summary,
    flags: [],
    run: (ctx) =>
      eachTarget(ctx, async (t, api, obj) => {
        let patch: Patch;
        try {
          patch = patchOf(t.kind, obj, ctx.now());
        } catch (err) {
          throw new CliError(`${t.kind.resourceGroup} ${JSON.stringify(t.name)} ${(err as Error).message}`);
        }
        try {
          await api.client.patch({ namespace: ctx.namespace, name: t.name }, patch, { fieldManager: FIELD_MANAGER });
        } catch (err) {
          throw new CliError(`failed to patch: ${(err as Error).message}`);
        }
        ctx.out(printed(t.kind, t.name, done));
      }),
  };
}

export const verbs: Record<string, Verb> = {
  status: {
    summary: "Show the status of the rollout",
    flags: [
      { name: "watch", short: "w", type: "bool" },
      { name: "revision", type: "int" },
      { name: "timeout", type: "duration" },
    ],
    async run(ctx) {
      const revision = nonNegative(ctx.flags, "revision");
      if (ctx.targets.length !== 1) throw new CliError(`rollout status is only supported on individual resources and resource collections - ${ctx.targets.length} resources were found`);
      const [t] = ctx.targets as [Target];
      await watchStatus({
        client: apiFor(ctx, t.kind).client,
        namespace: ctx.namespace,
        name: t.name,
        status: (obj) => t.kind.status(obj, revision),
        watch: ctx.flags.watch !== false,
        timeoutMs: Number(ctx.flags.timeout ?? 0),
        out: ctx.out,
      });
    },
  },

  history: {
    summary: "View rollout history",
    flags: [{ name: "revision", type: "int" }],
    async run(ctx) {
      const revision = nonNegative(ctx.flags, "revision");
      await eachTarget(ctx, async (t, api, obj) => {
        const info = await t.kind.viewHistory(api, obj, revision);
        ctx.out(printed(t.kind, t.name, `${revision > 0 ? `with revision #${revision}` : ""}\n${info}`));
      });
    },
  },

  undo: {
    summary: "Undo a previous rollout",
    flags: [{ name: "to-revision", type: "int" }],
    run: (ctx) =>
      eachTarget(ctx, async (t, api, obj) => {
        ctx.out(printed(t.kind, t.name, await t.kind.rollback(api, obj, Number(ctx.flags["to-revision"] ?? 0))));
      }),
  },

  pause: patchVerb("Mark the provided resource as paused", "paused", (kind, obj) => {
    if (!kind.pause) throw new CliError("pausing is not supported");
    return kind.pause(obj);
  }),

  resume: patchVerb("Resume a paused resource", "resumed", (kind, obj) => {
    if (!kind.resume) throw new CliError("resuming is not supported");
    return kind.resume(obj);
  }),

  restart: patchVerb("Restart a resource", "restarted", (kind, obj, now) => kind.restart(obj, now)),
};
