import { Decimal128, Double, Int32, Long } from 'bson';
import { BsonNumber } from './values';

/** An exact decimal: sign × coef × 10^exp, or a special value. */
type Exact =
  | { kind: 'nan' }
  | { kind: 'inf'; negative: boolean }
  | { kind: 'finite'; negative: boolean; coef: bigint; exp: number };

export type NumberKind = 'int' | 'long' | 'double' | 'decimal';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

export function numberKind(n: BsonNumber): NumberKind {
  if (typeof n === 'number') {
    return Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX ? 'int' : 'double';
  }
  switch (n._bsontype) {
    case 'Int32':
      return 'int';
    case 'Long':
      return 'long';
    case 'Double':
      return 'double';
    default:
      return 'decimal';
  }
}

/** The value as a JS number (int64 and decimal128 may round). */
export function toDouble(n: BsonNumber): number {
  if (typeof n === 'number') return n;
  switch (n._bsontype) {
    case 'Int32':
    case 'Double':
      return n.value;
    case 'Long':
      return n.toNumber();
    default:
      return Number(n.toString());
  }
}

/** int32 and int64 values as bigint, undefined for doubles and decimals. */
function toBigIntIfInteger(n: BsonNumber): bigint | undefined {
  if (typeof n === 'number') return numberKind(n) === 'int' ? BigInt(n) : undefined;
  if (n._bsontype === 'Int32') return BigInt(n.value);
  if (n._bsontype === 'Long') return n.toBigInt();
  return undefined;
}

function parseDecimalString(text: string): Exact {
  if (/^[+-]?nan$/i.test(text)) return { kind: 'nan' };
  const negative = text.startsWith('-');
  if (/inf/i.test(text)) return { kind: 'inf', negative };
  const match = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return { kind: 'nan' };
  const [, intPart = '', fracPart = '', expPart = '0'] = match;
  const digits = (intPart + fracPart).replace(/^0+/, '') || '0';
  return {
    kind: 'finite',
    negative,
    coef: BigInt(digits),
    exp: Number(expPart) - fracPart.length,
  };
}

function doubleToExact(d: number): Exact {
  if (Number.isNaN(d)) return { kind: 'nan' };
  if (!Number.isFinite(d)) return { kind: 'inf', negative: d < 0 };
  if (Number.isInteger(d)) {
    return { kind: 'finite', negative: d < 0, coef: BigInt(Math.abs(d)), exp: 0 };
  }
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, d);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp2: number;
  if (expBits === 0) {
    exp2 = -1074;
  } else {
    mantissa |= 1n << 52n;
    exp2 = expBits - 1075;
  }
  // mantissa × 2^exp2 with exp2 < 0 equals mantissa × 5^-exp2 × 10^exp2.
  return { kind: 'finite', negative: d < 0, coef: mantissa * 5n ** BigInt(-exp2), exp: exp2 };
}

function toExact(n: BsonNumber): Exact {
  const big = toBigIntIfInteger(n);
  if (big !== undefined) {
    return { kind: 'finite', negative: big < 0n, coef: big < 0n ? -big : big, exp: 0 };
  }
  if (typeof n !== 'number' && n._bsontype === 'Decimal128')
    return parseDecimalString(n.toString());
  return doubleToExact(toDouble(n));
}

function normalize(e: Exact): Exact {
  if (e.kind !== 'finite') return e;
  if (e.coef === 0n) return { kind: 'finite', negative: false, coef: 0n, exp: 0 };
  let { coef, exp } = e;
  while (coef % 10n === 0n) {
    coef /= 10n;
    exp += 1;
  }
  return { kind: 'finite', negative: e.negative, coef, exp };
}

function digitCount(n: bigint): number {
  return n.toString().length;
}

function compareMagnitude(a: bigint, aExp: number, b: bigint, bExp: number): number {
  if (a === 0n || b === 0n) return a === b ? 0 : a === 0n ? -1 : 1;
  const adjA = aExp + digitCount(a) - 1;
  const adjB = bExp + digitCount(b) - 1;
  if (adjA !== adjB) return adjA < adjB ? -1 : 1;
  const minExp = Math.min(aExp, bExp);
  const scaledA = a * 10n ** BigInt(aExp - minExp);
  const scaledB = b * 10n ** BigInt(bExp - minExp);
  return scaledA === scaledB ? 0 : scaledA < scaledB ? -1 : 1;
}

function compareExact(a: Exact, b: Exact): number {
  // MongoDB orders NaN below every other number and equal to itself.
  if (a.kind === 'nan' || b.kind === 'nan') {
    return a.kind === b.kind ? 0 : a.kind === 'nan' ? -1 : 1;
  }
  const signA = a.kind === 'finite' && a.coef === 0n ? 0 : a.negative ? -1 : 1;
  const signB = b.kind === 'finite' && b.coef === 0n ? 0 : b.negative ? -1 : 1;
  if (signA !== signB) return signA < signB ? -1 : 1;
  if (a.kind === 'inf' || b.kind === 'inf') {
    if (a.kind === b.kind) return 0;
    return (a.kind === 'inf' ? 1 : -1) * signA;
  }
  return compareMagnitude(a.coef, a.exp, b.coef, b.exp) * signA;
}

/** Compares two BSON numbers by value, exactly, whatever their types. */
export function compareNumbers(a: BsonNumber, b: BsonNumber): number {
  const kindA = numberKind(a);
  const kindB = numberKind(b);
  if (kindA !== 'decimal' && kindB !== 'decimal' && kindA !== 'long' && kindB !== 'long') {
    const x = toDouble(a);
    const y = toDouble(b);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      return Number.isNaN(x) === Number.isNaN(y) ? 0 : Number.isNaN(x) ? -1 : 1;
    }
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return compareExact(toExact(a), toExact(b));
}

/** A string equal for two numbers exactly when they compare equal (index keys). */
export function numberKey(n: BsonNumber): string {
  if (typeof n !== 'number' && n._bsontype === 'Int32') return integerKey(n.value.toString());
  if (typeof n !== 'number' && n._bsontype === 'Long') return integerKey(n.toString());
  const asDouble = typeof n === 'number' || n._bsontype === 'Double' ? toDouble(n) : undefined;
  if (asDouble !== undefined && Number.isSafeInteger(asDouble)) {
    return integerKey(asDouble === 0 ? '0' : asDouble.toString());
  }
  const e = normalize(toExact(n));
  if (e.kind === 'nan') return 'NaN';
  if (e.kind === 'inf') return e.negative ? '-Inf' : 'Inf';
  return `${e.negative ? '-' : ''}${e.coef}e${e.exp}`;
}

function integerKey(digits: string): string {
  if (digits === '0' || digits === '-0') return '0e0';
  const stripped = digits.replace(/0+$/, '');
  return `${stripped}e${digits.length - stripped.length}`;
}

function exactToDecimal(e: Exact): Decimal128 {
  if (e.kind === 'nan') return Decimal128.fromString('NaN');
  if (e.kind === 'inf') return Decimal128.fromString(e.negative ? '-Infinity' : 'Infinity');
  return Decimal128.fromStringWithRounding(`${e.negative ? '-' : ''}${e.coef}E${e.exp}`);
}

function decimalOperand(n: BsonNumber): Exact {
  if (numberKind(n) === 'double') {
    // MongoDB converts a double operand to decimal at its shortest round-trip form.
    return parseDecimalString(toDouble(n).toString());
  }
  return toExact(n);
}

function integerResult(value: bigint, wide: boolean): BsonNumber {
  if (!wide && value >= BigInt(INT32_MIN) && value <= BigInt(INT32_MAX)) {
    return new Int32(Number(value));
  }
  if (value >= INT64_MIN && value <= INT64_MAX) return Long.fromBigInt(value);
  return new Double(Number(value));
}

function resultKind(a: BsonNumber, b: BsonNumber): NumberKind {
  const kinds = [numberKind(a), numberKind(b)];
  for (const kind of ['decimal', 'double', 'long'] as const) if (kinds.includes(kind)) return kind;
  return 'int';
}

function addExact(a: Exact, b: Exact): Exact {
  if (a.kind !== 'finite' || b.kind !== 'finite') {
    return parseDecimalString(String(exactToNumber(a) + exactToNumber(b)));
  }
  const exp = Math.min(a.exp, b.exp);
  const sa = (a.negative ? -a.coef : a.coef) * 10n ** BigInt(a.exp - exp);
  const sb = (b.negative ? -b.coef : b.coef) * 10n ** BigInt(b.exp - exp);
  const sum = sa + sb;
  return { kind: 'finite', negative: sum < 0n, coef: sum < 0n ? -sum : sum, exp };
}

function mulExact(a: Exact, b: Exact): Exact {
  if (a.kind !== 'finite' || b.kind !== 'finite') {
    return parseDecimalString(String(exactToNumber(a) * exactToNumber(b)));
  }
  return {
    kind: 'finite',
    negative: a.negative !== b.negative && a.coef !== 0n && b.coef !== 0n,
    coef: a.coef * b.coef,
    exp: a.exp + b.exp,
  };
}

function exactToNumber(e: Exact): number {
  if (e.kind === 'nan') return NaN;
  if (e.kind === 'inf') return e.negative ? -Infinity : Infinity;
  return Number(`${e.negative ? '-' : ''}${e.coef}e${e.exp}`);
}

/** a + b with MongoDB's type promotion (int → long on overflow, any double → double, any decimal → decimal). */
export function addNumbers(a: BsonNumber, b: BsonNumber): BsonNumber {
  return arithmetic(
    a,
    b,
    (x, y) => x + y,
    addExact,
    (x, y) => x + y,
  );
}

/** a × b with MongoDB's type promotion. */
export function multiplyNumbers(a: BsonNumber, b: BsonNumber): BsonNumber {
  return arithmetic(
    a,
    b,
    (x, y) => x * y,
    mulExact,
    (x, y) => x * y,
  );
}

function arithmetic(
  a: BsonNumber,
  b: BsonNumber,
  onIntegers: (x: bigint, y: bigint) => bigint,
  onExact: (x: Exact, y: Exact) => Exact,
  onDoubles: (x: number, y: number) => number,
): BsonNumber {
  const kind = resultKind(a, b);
  if (kind === 'decimal') return exactToDecimal(onExact(decimalOperand(a), decimalOperand(b)));
  if (kind === 'double') return new Double(onDoubles(toDouble(a), toDouble(b)));
  const x = toBigIntIfInteger(a) ?? 0n;
  const y = toBigIntIfInteger(b) ?? 0n;
  return integerResult(onIntegers(x, y), kind === 'long');
}

/** A zero of the same numeric type (for `$mul` on a missing field). */
export function zeroLike(n: BsonNumber): BsonNumber {
  switch (numberKind(n)) {
    case 'int':
      return new Int32(0);
    case 'long':
      return Long.fromInt(0);
    case 'double':
      return new Double(0);
    default:
      return Decimal128.fromString('0');
  }
}

/** Integer value of an int32/int64 (or integral double), used by `$bit` and `$mod`. */
export function toInteger(n: BsonNumber): bigint | undefined {
  const big = toBigIntIfInteger(n);
  if (big !== undefined) return big;
  const d = toDouble(n);
  return Number.isFinite(d) ? BigInt(Math.trunc(d)) : undefined;
}

export function fromIntegerLike(value: bigint, like: BsonNumber): BsonNumber {
  return integerResult(value, numberKind(like) === 'long');
}

/** total ÷ count for `$avg`: decimal stays decimal (34 digits), anything else gives a double. */
export function averageOf(total: BsonNumber, count: number): BsonNumber {
  if (numberKind(total) !== 'decimal') return new Double(toDouble(total) / count);
  const exact = toExact(total);
  if (exact.kind !== 'finite') return total;
  const scale = 40;
  const quotient = (exact.coef * 10n ** BigInt(scale)) / BigInt(count);
  return exactToDecimal({ ...exact, coef: quotient, exp: exact.exp - scale });
}
