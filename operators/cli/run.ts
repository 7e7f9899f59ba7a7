// `mirrorkube <command>`: kubectl's verbs for the mirror kinds that kubectl
// cannot serve (its rollout verbs know only the built-in kinds). Today:
// `rollout status|history|undo|pause|resume|restart`.
import { loadKubeConfig, RestClient } from "../runtime/client/index.ts";
import { errorText } from "./errors.ts";
import { parseFlags, UsageError, type FlagSpec } from "./flags.ts";
import { verbs } from "./rollout/commands.ts";
import { resolveTargets } from "./rollout/targets.ts";

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

const GLOBAL_FLAGS: FlagSpec[] = [
  { name: "namespace", short: "n", type: "string" },
  { name: "kubeconfig", type: "string" },
  { name: "help", short: "h", type: "bool" },
];

const verbNames = Object.keys(verbs);

function usage(): string {
  const width = Math.max(...verbNames.map((v) => v.length)) + 2;
  return [
    "Manage the rollout of one or many mirror resources (apps.mirrorkube.dev).",
    "",
    "Available Commands:",
    ...verbNames.map((v) => `  ${v.padEnd(width)}${verbs[v]?.summary ?? ""}`),
    "",
    "Usage:",
    "  mirrorkube rollout SUBCOMMAND (TYPE NAME | TYPE/NAME | NAME) [options]",
    "",
    "Options:",
    "  -n, --namespace='': the namespace (default: the kubeconfig context's, else default)",
    "  --kubeconfig='': the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)",
    "",
  ].join("\n");
}

/**
 * The command words (`rollout`, the verb) wherever they are among the
 * arguments (kubectl takes `kubectl -n x rollout status ...` too), and the
 * rest: global flags before them, with their values, are not words.
 */
export function splitCommand(argv: readonly string[]): { command: string[]; rest: string[] } {
  const valued = new Set(GLOBAL_FLAGS.filter((f) => f.type !== "bool").flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]));
  const command: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (command.length < 2 && !arg.startsWith("-")) command.push(arg);
    else {
      rest.push(arg);
      if (command.length < 2 && valued.has(arg) && i + 1 < argv.length) rest.push(argv[++i] ?? "");
    }
  }
  return { command, rest };
}

/** Runs one command line; resolves the exit code (kubectl's: 0, or 1 for any error). */
export async function run(argv: readonly string[], io: Io, now: () => Date = () => new Date()): Promise<number> {
  const { command, rest } = splitCommand(argv);
  const [group, verbName] = command;
  // Without a verb there is nothing to do but say what there is (kubectl too exits 0).
  if (group === undefined || (group === "rollout" && verbName === undefined)) {
    io.out(usage());
    return 0;
  }
  if (group !== "rollout") {
    io.err(`error: unknown command ${JSON.stringify(group)} for "mirrorkube"\nRun 'mirrorkube --help' for usage.\n`);
    return 1;
  }
  const verb = verbs[verbName ?? ""];
  if (!verb) {
    io.err(`error: unknown command ${JSON.stringify([...command.slice(1), ...rest.filter((a) => !a.startsWith("-"))].join(" "))}\nSee 'mirrorkube rollout -h' for help and examples\n`);
    return 1;
  }

  let client: RestClient | undefined;
  try {
    const { flags, positionals } = parseFlags(rest, [...GLOBAL_FLAGS, ...verb.flags]);
    if (flags.help) {
      io.out(`${verb.summary}.\n\nUsage:\n  mirrorkube rollout ${verbName} (TYPE NAME | TYPE/NAME | NAME) [options]\n`);
      return 0;
    }
    const targets = resolveTargets(positionals);
    const kc = loadKubeConfig(typeof flags.kubeconfig === "string" && flags.kubeconfig !== "" ? flags.kubeconfig : undefined);
    const namespace = typeof flags.namespace === "string" && flags.namespace !== "" ? flags.namespace : (kc.getContextObject(kc.getCurrentContext())?.namespace ?? "default");
    client = new RestClient(kc, `mirrorkube-cli/${verbName}`);
    await verb.run({ rest: client, namespace, flags, targets, out: io.out, now });
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}\nSee 'mirrorkube rollout ${verbName} --help' for usage.\n`);
    } else {
      io.err(`${errorText(err)}\n`);
    }
    return 1;
  } finally {
    client?.close();
  }
}
