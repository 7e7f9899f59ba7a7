// Kubernetes resource.Quantity (k8s.io/apimachinery/pkg/api/resource),
// re-implemented on BigInt so that arithmetic is exact: a quantity is an
// integer number of nano-units, which is exactly upstream's precision
// (every parse path rounds up to 10^-9), so no value upstream can hold is
// lost and no float ever touches one.
//
// The printed form follows upstream's String(): the format (DecimalSI,
// BinarySI, DecimalExponent) is remembered from the parsed suffix, the
// canonical form has no fractional digits and the largest exponent, and a
// string that upstream would print back verbatim (its parse "cache") is
// kept verbatim here too, because quota messages and status fields compare
// byte for byte with what kubectl shows.

export type QuantityFormat = "DecimalSI" | "BinarySI" | "DecimalExponent";

export class QuantityError extends Error {
  constructor(input: string, why: string) {
    super(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': "${input}" ${why}`);
    this.name = "QuantityError";
  }
}

const NANO = 1_000_000_000n;
// Upstream caps BinarySI values at the largest int64 ("9Ei" saturates).
const MAX_INT64 = (1n << 63n) - 1n;
const MAX_BINARY_NANOS = MAX_INT64 * NANO;
// Not upstream: a bound on written exponents, so that "1e999999999" cannot
// make a billion-digit BigInt. Far beyond any resource amount.
const MAX_EXPONENT = 10_000;

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_SUFFIX_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIX_BY_POWER = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

// The number, then a run of suffix letters, then an optional signed integer
// (upstream's scanner in parseQuantityString, as one expression).
const GRAMMAR = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/;

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

/** ceil(|a| / b) with a's sign (rounding away from zero), b > 0. */
function divAwayFromZero(a: bigint, b: bigint): bigint {
  const q = a / b;
  if (a % b === 0n) return q;
  return a < 0n ? q - 1n : q + 1n;
}

interface Suffix {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string): Suffix | undefined {
  const dec = DECIMAL_SUFFIXES[suffix];
  if (dec !== undefined) return { base: 10, exponent: dec, format: "DecimalSI" };
  const bin = BINARY_SUFFIXES[suffix];
  if (bin !== undefined) return { base: 2, exponent: bin, format: "BinarySI" };
  if (/^[eE][+-]?[0-9]+$/.test(suffix)) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
    return { base: 10, exponent, format: "DecimalExponent" };
  }
  return undefined;
}

/**
 * Whether upstream's ParseQuantity keeps the input string as the printed
 * form (its int64 fast path with a string that is already canonical up to
 * a sign or leading zeros). Reproduced so that String() matches byte for byte.
 */
function upstreamKeepsInput(num: string, denom: string, suffix: Suffix): boolean {
  // Upstream strips leading zeros from the integer part and uses "0" if
  // nothing is left; the fraction is kept as written.
  const intPart = num.replace(/^0+/, "") || "0";
  if (suffix.format === "BinarySI") {
    if (denom.length > 0) return false;
    const precision = 15 - intPart.length - Math.trunc((suffix.exponent * 3) / 10) - 1;
    // The written number must not be a multiple of 8: then it cannot be a
    // multiple of 1024 and the suffix is already the largest possible.
    return precision >= 0 && (BigInt(intPart) & 7n) !== 0n;
  }
  const precision = 18 - (intPart.length + denom.length);
  const scale = suffix.exponent - denom.length;
  const shifted = intPart + denom;
  return precision >= 0 && scale >= -9 && scale % 3 === 0 && !shifted.endsWith("000") && !shifted.startsWith("0");
}

function parseUncached(input: string): Quantity {
  if (input === "0") return new Quantity(0n, "DecimalSI", "0");
  const m = GRAMMAR.exec(input);
  if (!m) throw new QuantityError(input, "is not a quantity");
  const [, sign = "", num = "", denom = "", suffixText = ""] = m;
  // Not upstream: "", ".", "+" and "-" alone parse as 0 there; a quantity
  // without a single digit is always a mistake, so it is refused here.
  if (num.length === 0 && denom.length === 0) throw new QuantityError(input, "has no digits");
  const suffix = interpretSuffix(suffixText);
  if (!suffix) throw new QuantityError(input, "has an unknown suffix");

  const digits = BigInt((num || "0") + denom);
  let nanos: bigint;
  if (suffix.base === 10) {
    const shift = suffix.exponent - denom.length + 9;
    // A shift below -(digits+1) leaves less than one nano: it rounds up to 1n.
    if (shift >= 0) nanos = digits * pow10(shift);
    else if (-shift > digits.toString().length + 1) nanos = digits === 0n ? 0n : 1n;
    else nanos = divAwayFromZero(digits, pow10(-shift));
  } else {
    nanos = divAwayFromZero(digits * (1n << BigInt(suffix.exponent)) * NANO, pow10(denom.length));
  }

  let format = suffix.format;
  if (format === "BinarySI") {
    if (nanos > MAX_BINARY_NANOS) nanos = MAX_BINARY_NANOS;
    // Upstream: a binary amount strictly between 0 and 1 is kept as DecimalSI.
    if (nanos > 0n && nanos < NANO) format = "DecimalSI";
  }
  if (sign === "-") nanos = -nanos;
  return new Quantity(nanos, format, upstreamKeepsInput(num, denom, suffix) ? input : undefined);
}

/** Mantissa and base-10 exponent (a multiple of 3), with every factor of 10 moved into the exponent first. */
function decimalParts(nanos: bigint): { mantissa: bigint; exponent: number } {
  let mantissa = nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  // Lower the exponent to a multiple of 3 (towards -infinity), as upstream does.
  const over = ((exponent % 3) + 3) % 3;
  return { mantissa: mantissa * pow10(over), exponent: exponent - over };
}

function formatDecimal(nanos: bigint, format: QuantityFormat): string {
  let { mantissa, exponent } = decimalParts(nanos);
  if (format === "DecimalExponent") return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  // Not upstream: past "E" (10^18) upstream finds no suffix and prints the
  // bare mantissa, i.e. a wrong number; here the mantissa absorbs the rest.
  if (exponent > 18) {
    mantissa *= pow10(exponent - 18);
    exponent = 18;
  }
  return `${mantissa}${DECIMAL_SUFFIX_BY_EXPONENT.get(exponent) ?? ""}`;
}

function formatBinary(value: bigint): string {
  let mantissa = value < 0n ? -value : value;
  let power = 0;
  // Not upstream: stop at "Ei" (upstream has no suffix past it and would print a wrong number).
  while (power < 6 && mantissa >= 1024n && mantissa % 1024n === 0n) {
    mantissa /= 1024n;
    power++;
  }
  return `${value < 0n ? "-" : ""}${mantissa}${BINARY_SUFFIX_BY_POWER[power]}`;
}

function canonical(nanos: bigint, format: QuantityFormat): string {
  if (nanos === 0n) return "0";
  if (format === "BinarySI") {
    const small = nanos > -1024n * NANO && nanos < 1024n * NANO;
    // Below 1024 or with a fraction, a binary suffix would round: print decimal instead.
    if (!small && nanos % NANO === 0n) return formatBinary(nanos / NANO);
    return formatDecimal(nanos, "DecimalSI");
  }
  return formatDecimal(nanos, format);
}

/** An immutable, exact resource quantity. */
export class Quantity {
  /** The amount in units of 10^-9. */
  readonly nanos: bigint;
  readonly format: QuantityFormat;
  private readonly verbatim: string | undefined;

  constructor(nanos: bigint, format: QuantityFormat = "DecimalSI", verbatim?: string) {
    this.nanos = nanos;
    this.format = format;
    this.verbatim = verbatim;
  }

  /** Parses a quantity string (or a JSON number); throws QuantityError. Results are memoised. */
  static parse(input: string | number): Quantity {
    return parseQuantity(input);
  }

  /** `value` units (resource.NewQuantity). */
  static fromValue(value: number | bigint, format: QuantityFormat = "DecimalSI"): Quantity {
    return new Quantity(BigInt(value) * NANO, format);
  }

  /** `value` thousandths (resource.NewMilliQuantity). */
  static fromMilli(value: number | bigint, format: QuantityFormat = "DecimalSI"): Quantity {
    return new Quantity(BigInt(value) * 1_000_000n, format);
  }

  /** `value` × 10^scale, DecimalSI (resource.NewScaledQuantity); scale >= -9. */
  static fromScaled(value: number | bigint, scale: number): Quantity {
    const shift = scale + 9;
    if (shift < 0) throw new RangeError(`scale ${scale} is finer than nano`);
    return new Quantity(BigInt(value) * pow10(shift), "DecimalSI");
  }

  static zero(format: QuantityFormat = "DecimalSI"): Quantity {
    return new Quantity(0n, format);
  }

  isZero(): boolean {
    return this.nanos === 0n;
  }

  sign(): -1 | 0 | 1 {
    return this.nanos === 0n ? 0 : this.nanos < 0n ? -1 : 1;
  }

  /** this + other; a zero receiver takes other's format, as upstream's Add. */
  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.nanos === 0n ? other.format : this.format);
  }

  /** this − other; a zero receiver takes other's format, as upstream's Sub. */
  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.nanos === 0n ? other.format : this.format);
  }

  /** this × an integer. */
  mul(factor: number | bigint): Quantity {
    return new Quantity(this.nanos * BigInt(factor), this.format);
  }

  neg(): Quantity {
    return new Quantity(-this.nanos, this.format);
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos === other.nanos ? 0 : this.nanos < other.nanos ? -1 : 1;
  }

  equals(other: Quantity): boolean {
    return this.nanos === other.nanos;
  }

  /** The amount in units of 10^scale, rounded away from zero (upstream ScaledValue). */
  scaledValue(scale: number): bigint {
    const shift = scale + 9;
    return shift <= 0 ? this.nanos * pow10(-shift) : divAwayFromZero(this.nanos, pow10(shift));
  }

  /** ceil(q) as a number (upstream Value(); exact below 2^53). */
  value(): number {
    return Number(this.scaledValue(0));
  }

  /** ceil(q × 1000) as a number (upstream MilliValue(); exact below 2^53). */
  milliValue(): number {
    return Number(this.scaledValue(-3));
  }

  /** The canonical string upstream prints, e.g. "500m", "1", "128Mi", "1Gi", "1500m", "2". */
  toString(): string {
    return this.verbatim ?? canonical(this.nanos, this.format);
  }

  /** Canonical form even where upstream would echo the parsed input verbatim. */
  canonical(): string {
    return canonical(this.nanos, this.format);
  }

  toJSON(): string {
    return this.toString();
  }
}

/** Named scales for scaledValue(), e.g. `q.scaledValue(Scale.milli)`. */
export const Scale = { nano: -9, micro: -6, milli: -3, unit: 0, kilo: 3, mega: 6, giga: 9 } as const;

// Quantities are immutable, so parsed values can be shared; requests repeat
// the same few strings ("100m", "128Mi") across thousands of pods.
const memo = new Map<string, Quantity>();
const MEMO_LIMIT = 10_000;

/** Parses a quantity string or JSON number; throws QuantityError when malformed. */
export function parseQuantity(input: string | number): Quantity {
  const text = typeof input === "number" ? numberText(input) : input;
  const hit = memo.get(text);
  if (hit) return hit;
  const parsed = parseUncached(text);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(text, parsed);
  return parsed;
}

/** Like parseQuantity, but undefined instead of an exception. */
export function tryParseQuantity(input: string | number | undefined | null): Quantity | undefined {
  if (input === undefined || input === null) return undefined;
  try {
    return parseQuantity(input);
  } catch (err) {
    if (err instanceof QuantityError) return undefined;
    throw err;
  }
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new QuantityError(String(n), "is not finite");
  // JSON numbers reach us already parsed; String() gives the shortest text
  // that round-trips, spelled as the JSON text would be ("1e21", not "1e+21").
  return String(n).replace("e+", "e");
}

/** The canonical string of a quantity given as string or number ("2000m" → "2"). */
export function formatQuantity(input: string | number | Quantity): string {
  return (input instanceof Quantity ? input : parseQuantity(input)).toString();
}

/** Σ of quantities, with upstream's format rule (the first non-zero operand's format). */
export function sumQuantities(items: Iterable<Quantity>): Quantity {
  let total = Quantity.zero();
  for (const q of items) total = total.add(q);
  return total;
}
