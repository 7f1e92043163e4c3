// Kernel-side filters for raw ICMP sockets, assembled here so that the native addon stays
// free of ICMP knowledge: it only hands these bytes to setsockopt.

/** ICMP types a raw IPv4 socket needs: echo reply and the errors that quote a probe. */
export const ICMP_PASS_TYPES: readonly number[] = [0, 3, 4, 5, 11, 12];
/** ICMPv6 types a raw IPv6 socket needs: echo reply, the four errors, redirect. */
export const ICMPV6_PASS_TYPES: readonly number[] = [129, 1, 2, 3, 4, 137];

// Classic BPF opcodes (linux/filter.h).
const BPF_LD_B_ABS = 0x30;
const BPF_LD_H_ABS = 0x28;
const BPF_LDX_B_MSH = 0xb1;
const BPF_LD_B_IND = 0x50;
const BPF_LD_H_IND = 0x48;
const BPF_JEQ_K = 0x15;
const BPF_RET_K = 0x06;

type Instruction = [code: number, jt: number, jf: number, k: number];

function assemble(program: Instruction[]): Uint8Array {
  const bytes = new Uint8Array(program.length * 8);
  const view = new DataView(bytes.buffer);
  // struct sock_filter is in host byte order.
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  program.forEach(([code, jt, jf, k], i) => {
    view.setUint16(i * 8, code, little);
    view.setUint8(i * 8 + 2, jt);
    view.setUint8(i * 8 + 3, jf);
    view.setUint32(i * 8 + 4, k >>> 0, little);
  });
  return bytes;
}

/**
 * A classic BPF program that drops echo replies carrying an identifier other than
 * `identifier` and passes everything else (ICMP errors must reach us whoever they quote).
 * IPv4 raw sockets see the IP header, so the ICMP header is found at IHL*4; ICMPv6 raw
 * sockets see the ICMPv6 header at offset 0.
 *
 * @returns struct sock_filter[] as bytes, for IcmpSocket.attachFilter
 */
export function identifierFilter(family: 4 | 6, identifier: number): Uint8Array {
  const accept = 0xffffffff;
  if (family === 4) {
    return assemble([
      [BPF_LDX_B_MSH, 0, 0, 0], //      x = 4 * (ip[0] & 0xf)
      [BPF_LD_B_IND, 0, 0, 0], //       a = icmp type
      [BPF_JEQ_K, 0, 3, 0], //          not an echo reply: accept
      [BPF_LD_H_IND, 0, 0, 4], //       a = identifier
      [BPF_JEQ_K, 1, 0, identifier & 0xffff],
      [BPF_RET_K, 0, 0, 0],
      [BPF_RET_K, 0, 0, accept],
    ]);
  }
  return assemble([
    [BPF_LD_B_ABS, 0, 0, 0],
    [BPF_JEQ_K, 0, 3, 129],
    [BPF_LD_H_ABS, 0, 0, 4],
    [BPF_JEQ_K, 1, 0, identifier & 0xffff],
    [BPF_RET_K, 0, 0, 0],
    [BPF_RET_K, 0, 0, accept],
  ]);
}
