// Command-line flags as kubectl (spf13/pflag) reads them, so the same
// command lines work: flags anywhere among the arguments, `--name=value`,
// `--name value`, `-n value`, `-nvalue`, `-n=value`, booleans as `--watch`
// or `--watch=false`, and `--` ending the flags. Errors use pflag's words.
import { parseDuration } from "./duration.ts";

export type FlagType = "string" | "bool" | "int" | "duration";

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
}

/** The parsed value of each flag given (absent flags are absent); durations in milliseconds. */
export type FlagValues = Record<string, string | boolean | number>;

export interface ParsedArgs {
  flags: FlagValues;
  positionals: string[];
}

/** A command line kubectl would refuse before doing anything: printed with a pointer to --help. */
export class UsageError extends Error {}

export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short, s]));
  const flags: FlagValues = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: FlagSpec | undefined;
    let inline: string | undefined;
    let shown: string;
    if (arg.startsWith("--")) {
      const [name = "", value] = splitOnce(arg.slice(2), "=");
      spec = byName.get(name);
      if (!spec) throw new UsageError(`unknown flag: --${name}`);
      inline = value;
      shown = `--${name}`;
    } else if (arg.startsWith("-") && arg.length > 1) {
      const short = arg.slice(1, 2);
      spec = byShort.get(short);
      if (!spec) throw new UsageError(`unknown shorthand flag: '${short}' in ${arg}`);
      const rest = arg.slice(2);
      inline = rest === "" ? undefined : rest.startsWith("=") ? rest.slice(1) : rest;
      shown = `-${short}, --${spec.name}`;
    } else {
      positionals.push(arg);
      continue;
    }
    let raw = inline;
    if (raw === undefined) {
      if (spec.type === "bool") raw = "true";
      else if (i + 1 < argv.length) raw = argv[++i];
      else throw new UsageError(`flag needs an argument: ${arg.startsWith("--") ? arg : `'${arg.slice(1, 2)}' in ${arg}`}`);
    }
    flags[spec.name] = convert(spec, raw ?? "", shown);
  }
  return { flags, positionals };
}

function splitOnce(s: string, sep: string): [string, string | undefined] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
}

function convert(spec: FlagSpec, raw: string, shown: string): string | boolean | number {
  const invalid = (why: string) => new UsageError(`invalid argument "${raw}" for "${shown}" flag: ${why}`);
  switch (spec.type) {
    case "string":
      return raw;
    case "bool": {
      const b = parseGoBool(raw);
      if (b === undefined) throw invalid(`strconv.ParseBool: parsing ${JSON.stringify(raw)}: invalid syntax`);
      return b;
    }
    case "int": {
      if (!/^[+-]?\d+$/.test(raw)) throw invalid(`strconv.ParseInt: parsing ${JSON.stringify(raw)}: invalid syntax`);
      return Number(raw);
    }
    case "duration": {
      const d = parseDuration(raw);
      if (typeof d === "string") throw invalid(d);
      return d;
    }
  }
}

/** Go's strconv.ParseBool. */
function parseGoBool(s: string): boolean | undefined {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(s)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(s)) return false;
  return undefined;
}
