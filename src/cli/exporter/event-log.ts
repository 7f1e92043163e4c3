// The exporter's log: one line per event on stderr, as logfmt (`ts=... level=info msg="..."
// key=value`) or JSON, the two formats Prometheus' own exporters write. Values may quote
// untrusted text (a host name from a config file, a resolver's error): no character of it
// reaches the log raw.
import { escapeText, safeJson } from '../../wording/escape-text.js';

/** How bad an event is. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** The fields of one event, after its message. */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

function logfmtValue(value: string): string {
  const escaped = escapeText(value, 1024).replace(/"/g, '\\"');
  return /^[^\s"=\\]+$/.test(escaped) && escaped.length > 0 ? escaped : `"${escaped}"`;
}

/** One event as a logfmt line (no newline). */
export function logfmtLine(ts: string, level: LogLevel, msg: string, fields: LogFields): string {
  let line = `ts=${ts} level=${level} msg=${logfmtValue(msg)}`;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    line += ` ${key}=${typeof value === 'string' ? logfmtValue(value) : String(value)}`;
  }
  return line;
}

/** One event as a JSON line (no newline). */
export function jsonLine(ts: string, level: LogLevel, msg: string, fields: LogFields): string {
  const record: Record<string, unknown> = { ts, level, msg };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && !(key in record)) record[key] = value;
  return safeJson(record);
}

/** Writes events as lines to `write`, in one format. */
export class EventLog {
  readonly #format: 'logfmt' | 'json';
  readonly #write: (line: string) => void;
  readonly #now: () => Date;

  constructor(format: 'logfmt' | 'json', write: (line: string) => void, now: () => Date = () => new Date()) {
    this.#format = format;
    this.#write = write;
    this.#now = now;
  }

  log(level: LogLevel, msg: string, fields: LogFields = {}): void {
    const ts = this.#now().toISOString();
    this.#write(`${this.#format === 'json' ? jsonLine(ts, level, msg, fields) : logfmtLine(ts, level, msg, fields)}\n`);
  }

  info(msg: string, fields?: LogFields): void {
    this.log('info', msg, fields);
  }

  warn(msg: string, fields?: LogFields): void {
    this.log('warn', msg, fields);
  }

  error(msg: string, fields?: LogFields): void {
    this.log('error', msg, fields);
  }
}
