/**
 * RFC 1071 Internet checksum over `bytes[start, end)`: the ones-complement of the
 * ones-complement sum of 16-bit big-endian words, an odd trailing byte padded with zero.
 *
 * @param bytes the data
 * @param start first byte included (default 0)
 * @param end one past the last byte included (default `bytes.length`; clamped to it)
 * @returns the 16-bit checksum as it goes on the wire (network byte order value)
 */
export function internetChecksum(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const stop = Math.min(end, bytes.length);
  let sum = 0;
  let i = start;
  // Fold every 2^16 words at most; a JS number holds the partial sums exactly.
  for (; i + 1 < stop; i += 2) sum += ((bytes[i] as number) << 8) | (bytes[i + 1] as number);
  if (i < stop) sum += (bytes[i] as number) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}
