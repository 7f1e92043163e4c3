// Reading and checking one option value, as the library takes it (numbers) and as the command
// line writes it (text). Strict: "10xyz", "", " 5", "0x10" and "NaN" are errors, never NaN or a
// silent truncation. Every message names the option as the caller spells it and its range.
import { OptionError } from '../errors.js';
import { numericSpec, type OptionKey, type Unit } from './option-table.js';

/** A numeric option's range and unit, with the key its messages name. */
export interface NumericOptionSpec {
  /** The option's key (see the option table). */
  key: string;
  /** Unit the library takes it in. */
  unit: Unit;
  min: number;
  max: number;
  integer: boolean;
  /** Infinity is accepted (meaning "no limit"). */
  allowInfinity?: boolean;
}

/** The range and unit of the numeric option `key`, from the option table. */
export function numericOption(key: OptionKey): NumericOptionSpec {
  const spec = numericSpec(key);
  return { key, unit: spec.unit, min: spec.min, max: spec.max, integer: spec.integer, ...(spec.infinity === true ? { allowInfinity: true } : {}) };
}

/** Turns an option key into the name a message should use (the CLI passes its flags). */
export type OptionNamer = (key: string) => string;
/** The library's namer: options are named by their keys. */
export const libraryName: OptionNamer = (key) => key;

/** Largest payload per family: 65535 minus the IP header (20) or nothing (IPv6 payload length) minus ICMP's 8. */
export const MAX_SIZE: Readonly<Record<4 | 6, number>> = { 4: 65507, 6: 65527 };
/** Longest fill pattern, in bytes (ping -p takes up to 16). */
export const MAX_PATTERN_BYTES = 16;

/** Text of user input as quoted back in a message: cut, so a 1 MB value is not echoed whole. */
function shown(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function describeRange(spec: NumericOptionSpec, scale = 1): string {
  const fmt = (n: number): string => String(n / scale);
  const what = spec.integer ? 'an integer' : 'a number';
  return `${what} from ${fmt(spec.min)} to ${fmt(spec.max)}`;
}

/**
 * Checks a numeric option value; throws OptionError naming the option and its range.
 * `scale` is how many library units one user unit holds (1000 when the CLI takes seconds
 * for a millisecond option), for the message only.
 */
export function checkNumber(spec: NumericOptionSpec, value: unknown, name: OptionNamer = libraryName, scale = 1, text?: string): number {
  const label = name(spec.key);
  const quoted = text ?? String(value);
  const fail = (): never => {
    throw new OptionError(label, `invalid ${label} '${quoted}': expected ${describeRange(spec, scale)}`);
  };
  if (typeof value !== 'number' || Number.isNaN(value)) return fail();
  if (value === Infinity && spec.allowInfinity === true) return value;
  if (!Number.isFinite(value) || value < spec.min || value > spec.max || (spec.integer && !Number.isInteger(value))) return fail();
  return value;
}

const INTEGER_TEXT = /^[+]?[0-9]+$/;
const DECIMAL_TEXT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/**
 * Parses an option value given as text (the CLI's argv), strictly. `scale` converts the user's
 * unit to the library's (1000 for seconds given to a millisecond option). Returns the value in
 * library units.
 */
export function parseNumberOption(spec: NumericOptionSpec, text: string, name: OptionNamer = libraryName, scale = 1): number {
  const pattern = spec.integer && scale === 1 ? INTEGER_TEXT : DECIMAL_TEXT;
  if (!pattern.test(text)) {
    throw new OptionError(name(spec.key), `invalid ${name(spec.key)} '${shown(text)}': expected ${describeRange(spec, scale)}`);
  }
  const value = Number(text) * scale;
  // A fractional result of an integer option (e.g. -c 1.5) is out of range, not rounded.
  return checkNumber(spec, Number.isFinite(value) ? value : NaN, name, scale, shown(text));
}

/** Reads ping's -Q as it is written, decimal or hexadecimal with 0x, 0 to 255. */
export function parseTos(text: string, name: OptionNamer = libraryName): number {
  const t = text.trim();
  const spec: NumericOptionSpec = { key: 'tos', unit: 'bytes', min: 0, max: 255, integer: true };
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return checkNumber(spec, parseInt(t.slice(2), 16), name, 1, shown(text));
  if (/^[0-9]+$/.test(t)) return checkNumber(spec, Number(t), name, 1, shown(text));
  throw new OptionError(name('tos'), `invalid ${name('tos')} '${shown(text)}': expected a TOS value from 0 to 255 (decimal, or hex with 0x)`);
}

/** Checks a TOS given as a number: an integer from 0 to 255. */
export function checkTos(value: unknown, name: OptionNamer = libraryName): number {
  return checkNumber({ key: 'tos', unit: 'bytes', min: 0, max: 255, integer: true }, value, name);
}

/** Parses a fill pattern: 1 to 16 bytes of hex ("ff", "deadbeef"), two digits per byte from the left as ping reads them ("abc" is ab 0c). */
export function parsePattern(value: string | Uint8Array, name: OptionNamer = libraryName): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length === 0 || value.length > MAX_PATTERN_BYTES) {
      throw new OptionError(name('pattern'), `invalid ${name('pattern')}: expected 1 to ${MAX_PATTERN_BYTES} bytes`);
    }
    return value;
  }
  // JavaScript callers may pass anything: only text is read as hex.
  const text: unknown = value;
  if (typeof text !== 'string')
    throw new OptionError(name('pattern'), `invalid ${name('pattern')} (a ${typeof text}): expected 1 to ${2 * MAX_PATTERN_BYTES} hex digits`);
  if (!/^[0-9a-fA-F]{1,32}$/.test(text)) {
    throw new OptionError(name('pattern'), `invalid ${name('pattern')} '${shown(text)}': expected 1 to ${2 * MAX_PATTERN_BYTES} hex digits`);
  }
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 2) bytes.push(parseInt(text.slice(i, i + 2), 16));
  return Uint8Array.from(bytes);
}

/** Throws OptionError when `size` does not fit one datagram of `family`. */
export function checkSizeForFamily(size: number, family: 4 | 6, name: OptionNamer = libraryName): void {
  if (size > MAX_SIZE[family]) {
    throw new OptionError(name('size'), `invalid ${name('size')} '${size}': expected an integer from 0 to ${MAX_SIZE[family]} for IPv${family}`);
  }
}
