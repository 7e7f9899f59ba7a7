// Go's time.ParseDuration, which kubectl's --timeout goes through: a
// sequence of decimal numbers with units (300ms, 1.5h, 2h45m); a bare "0"
// is the only number allowed without one.

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  "μs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds, or Go's error message (e.g. `time: missing unit in duration "2"`). */
export function parseDuration(input: string): number | string {
  const quoted = JSON.stringify(input);
  let s = input;
  let sign = 1;
  if (s.startsWith("-") || s.startsWith("+")) {
    if (s.startsWith("-")) sign = -1;
    s = s.slice(1);
  }
  if (s === "0") return 0;
  if (s === "") return `time: invalid duration ${quoted}`;
  let total = 0;
  while (s !== "") {
    const number = /^(\d*)(?:\.(\d*))?/.exec(s);
    const whole = number?.[1] ?? "";
    const frac = number?.[2];
    if (whole === "" && (frac === undefined || frac === "")) return `time: invalid duration ${quoted}`;
    s = s.slice(number?.[0].length ?? 0);
    const unit = /^[^\d.]*/.exec(s)?.[0] ?? "";
    if (unit === "") return `time: missing unit in duration ${quoted}`;
    const ms = UNIT_MS[unit];
    if (ms === undefined) return `time: unknown unit ${JSON.stringify(unit)} in duration ${quoted}`;
    total += Number(`${whole || "0"}.${frac ?? ""}0`) * ms;
    s = s.slice(unit.length);
  }
  return sign * total;
}
