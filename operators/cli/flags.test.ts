import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.ts";
import { parseFlags, UsageError, type FlagSpec } from "./flags.ts";

const specs: FlagSpec[] = [
  { name: "namespace", short: "n", type: "string" },
  { name: "watch", short: "w", type: "bool" },
  { name: "revision", type: "int" },
  { name: "timeout", type: "duration" },
];

describe("parseFlags (pflag's syntax)", () => {
  it("takes flags anywhere, in every form kubectl accepts", () => {
    expect(parseFlags(["deploy/web", "-n", "ns", "--watch=false", "--revision", "3", "--timeout=1m30s"], specs)).toEqual({
      flags: { namespace: "ns", watch: false, revision: 3, timeout: 90_000 },
      positionals: ["deploy/web"],
    });
    expect(parseFlags(["-nns", "-w", "web"], specs).flags).toEqual({ namespace: "ns", watch: true });
    expect(parseFlags(["-n=ns", "-w=0", "--namespace=other"], specs).flags).toEqual({ namespace: "other", watch: false });
    expect(parseFlags(["--", "-n", "x"], specs)).toEqual({ flags: {}, positionals: ["-n", "x"] });
  });

  it("refuses with pflag's messages", () => {
    const error = (argv: string[]) => {
      try {
        parseFlags(argv, specs);
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        return (err as Error).message;
      }
      return "no error";
    };
    expect(error(["--bogus"])).toBe("unknown flag: --bogus");
    expect(error(["-x"])).toBe("unknown shorthand flag: 'x' in -x");
    expect(error(["--namespace"])).toBe("flag needs an argument: --namespace");
    expect(error(["-n"])).toBe("flag needs an argument: 'n' in -n");
    expect(error(["--timeout=2"])).toBe('invalid argument "2" for "--timeout" flag: time: missing unit in duration "2"');
    expect(error(["--revision=x"])).toBe('invalid argument "x" for "--revision" flag: strconv.ParseInt: parsing "x": invalid syntax');
    expect(error(["-w=maybe"])).toBe('invalid argument "maybe" for "-w, --watch" flag: strconv.ParseBool: parsing "maybe": invalid syntax');
  });
});

describe("parseDuration (Go's time.ParseDuration)", () => {
  it.each([
    ["0", 0],
    ["2s", 2000],
    ["1.5h", 5_400_000],
    ["2h45m", 9_900_000],
    ["300ms", 300],
    ["-1m", -60_000],
    [".5s", 500],
    ["1000us", 1],
  ])("%s is %d ms", (input, ms) => {
    expect(parseDuration(input)).toBeCloseTo(ms, 6);
  });

  it.each([
    ["2", 'time: missing unit in duration "2"'],
    ["1d", 'time: unknown unit "d" in duration "1d"'],
    ["", 'time: invalid duration ""'],
    ["s", 'time: invalid duration "s"'],
    [".s", 'time: invalid duration ".s"'],
  ])("%j is refused: %s", (input, message) => {
    expect(parseDuration(input)).toBe(message);
  });
});
