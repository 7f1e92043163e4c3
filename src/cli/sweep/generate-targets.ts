import { OptionError } from '../../errors.js';
import { addressRange, type AddressRange } from '../../index.js';
import { UsageError } from '../usage-error.js';

/** Most addresses -g may produce (fping 5.5 has the same cap). */
export const GENERATE_LIMIT = 131072;

/**
 * The range of `-g` arguments: one CIDR prefix or a start and an end address, as the
 * library's addressRange() makes it (lazily: nothing is held). Throws UsageError past
 * GENERATE_LIMIT or for anything malformed, with the arguments quoted after `-g`.
 */
export function generateTargets(args: readonly string[]): AddressRange {
  if (args.length !== 1 && args.length !== 2) throw new UsageError('-g takes a CIDR prefix (10.0.0.0/24) or a start and an end address');
  let range: AddressRange;
  try {
    range = args.length === 1 ? addressRange(args[0] as string) : addressRange(args[0] as string, args[1]);
  } catch (error) {
    if (error instanceof OptionError) throw new UsageError(`-g ${error.message}`);
    throw error;
  }
  if (range.count > BigInt(GENERATE_LIMIT)) {
    throw new UsageError(`-g ${args.map((a) => a.slice(0, 60)).join(' ')}: ${range.count} addresses is more than the limit of ${GENERATE_LIMIT}`);
  }
  return range;
}
