// The IPv4 options of a reply as ping prints them after its line (-R, -T): "RR:" and "TS:"
// blocks, one tab-indented entry a line, "(same route)" when the recorded route did not change.
import type { IpOption, TimestampEntry } from '../../packet/ip-options.js';

/**
 * Formats the options of successive replies; it remembers the last route recorded, as ping
 * does, to print `(same route)` instead of repeating it.
 */
export class IpOptionsText {
  #lastRoute: string | null = null;

  /**
   * The text ping puts between a reply's line and its newline (often starting with a newline
   * of its own). `show` writes an address (a name with -H). Under flood ping never says
   * "(same route)".
   */
  text(options: readonly IpOption[], show: (address: string) => string, flood = false): string {
    let out = '';
    for (const option of options) {
      switch (option.kind) {
        case 'nop':
          out += '\nNOP';
          break;
        case 'source-route':
          out += `\n${option.strict ? 'S' : 'L'}SRR: `;
          for (const address of option.addresses) out += `\t${show(address)}\n`;
          break;
        case 'record-route': {
          if (option.addresses.length === 0) break;
          const route = option.addresses.join(' ');
          if (route === this.#lastRoute && !flood) {
            out += '\t(same route)';
            break;
          }
          this.#lastRoute = route;
          out += '\nRR: ';
          for (const address of option.addresses) out += `\t${show(address)}\n`;
          break;
        }
        case 'timestamp':
          out += timestampText(option.entries, option.overflow, show);
          break;
        default:
          out += `\nunknown option ${option.type.toString(16)}`;
      }
    }
    return out;
  }
}

// The first standard time is absolute, each later one the difference from the one before (in
// ms); times with the high bit set are counted apart as "not-standard".
function timestampText(entries: readonly TimestampEntry[], overflow: number, show: (address: string) => string): string {
  if (entries.length === 0) return '';
  let out = '\nTS: ';
  let standard = 0;
  let nonStandard = 0;
  for (const entry of entries) {
    if (entry.address !== null) out += `\t${show(entry.address)}`;
    if (entry.time === null) break;
    if (entry.nonStandard) {
      out += nonStandard === 0 ? `\t${entry.time} absolute not-standard` : `\t${entry.time - nonStandard} not-standard`;
      nonStandard = entry.time;
    } else {
      out += standard === 0 ? `\t${entry.time} absolute` : `\t${entry.time - standard}`;
      standard = entry.time;
    }
    out += '\n';
  }
  if (overflow > 0) out += `Unrecorded hops: ${overflow}\n`;
  return out;
}
