// Which objects a rollout command names, as kubectl reads its resource
// arguments (TYPE/NAME ..., or TYPE NAME ...), plus a bare NAME, which means
// a Deployment (kubectl would take it for a type).
import { CliError } from "../errors.ts";
import { deploymentRollout } from "./deployment.ts";
import type { RolloutKind } from "./kind.ts";
import { statefulSetRollout } from "./statefulset.ts";

/** Every kind `rollout` knows. */
export const rolloutKinds: readonly RolloutKind[] = [deploymentRollout, statefulSetRollout];

export interface Target {
  kind: RolloutKind;
  name: string;
}

function kindNamed(type: string): RolloutKind {
  const lower = type.toLowerCase();
  const kind = rolloutKinds.find((k) => k.names.includes(lower));
  if (!kind) throw new CliError(`the server doesn't have a resource type ${JSON.stringify(type)}`);
  return kind;
}

export function resolveTargets(args: readonly string[]): Target[] {
  if (args.length === 0) throw new CliError("required resource not specified");
  if (args.every((a) => a.includes("/"))) {
    return args.map((arg) => {
      const slash = arg.indexOf("/");
      const name = arg.slice(slash + 1);
      if (name === "" || name.includes("/")) throw new CliError(`arguments in resource/name form must have a single resource and name`);
      return { kind: kindNamed(arg.slice(0, slash)), name };
    });
  }
  if (args.some((a) => a.includes("/"))) throw new CliError("there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'mirrorkube rollout status resource/<resource_name>' instead of 'mirrorkube rollout status resource resource/<resource_name>')");
  const [first = "", ...rest] = args;
  if (rest.length === 0) return [{ kind: deploymentRollout, name: first }];
  const kind = kindNamed(first);
  return rest.map((name) => ({ kind, name }));
}
