// A small classic-BPF interpreter (struct sock_filter programs, linux/filter.h and
// Documentation/networking/filter.rst) for checking the kernel filters rawping assembles,
// without a kernel. Semantics follow the kernel's: loads are big-endian (network order),
// a load outside the packet ends the program with 0 (drop), jumps are relative to the next
// instruction, and the checker's rules are enforced up front (jumps stay inside the program,
// the last instruction returns). Opcodes it does not know throw, so a filter that starts
// using a new one fails loudly instead of being misjudged.
import { endianness } from 'node:os';

export interface SockFilter {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

const HOST_LITTLE_ENDIAN = endianness() === 'LE';

/** Splits struct sock_filter[] bytes (8 per instruction: u16 code, u8 jt, u8 jf, u32 k). */
export function decodeSockFilter(bytes: Uint8Array, littleEndian = HOST_LITTLE_ENDIAN): SockFilter[] {
  if (bytes.length === 0 || bytes.length % 8 !== 0) throw new Error(`sock_filter bytes: length ${bytes.length} is not a positive multiple of 8`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: SockFilter[] = [];
  for (let at = 0; at < bytes.length; at += 8) {
    out.push({
      code: view.getUint16(at, littleEndian),
      jt: view.getUint8(at + 2),
      jf: view.getUint8(at + 3),
      k: view.getUint32(at + 4, littleEndian),
    });
  }
  return out;
}

/** Encodes instructions as struct sock_filter[] bytes (for hand-written test programs). */
export function encodeSockFilter(program: readonly SockFilter[], littleEndian = HOST_LITTLE_ENDIAN): Uint8Array {
  const bytes = new Uint8Array(program.length * 8);
  const view = new DataView(bytes.buffer);
  program.forEach((ins, i) => {
    view.setUint16(i * 8, ins.code, littleEndian);
    view.setUint8(i * 8 + 2, ins.jt);
    view.setUint8(i * 8 + 3, ins.jf);
    view.setUint32(i * 8 + 4, ins.k >>> 0, littleEndian);
  });
  return bytes;
}

// Instruction fields (linux/bpf_common.h).
const CLASS = (c: number): number => c & 0x07;
const SIZE = (c: number): number => c & 0x18;
const MODE = (c: number): number => c & 0xe0;
const OP = (c: number): number => c & 0xf0;
const SRC = (c: number): number => c & 0x08;
const RVAL = (c: number): number => c & 0x18;

const LD = 0x00;
const LDX = 0x01;
const JMP = 0x05;
const RET = 0x06;
const W = 0x00;
const H = 0x08;
const B = 0x10;
const IMM = 0x00;
const ABS = 0x20;
const IND = 0x40;
const LEN = 0x80;
const MSH = 0xa0;
const JA = 0x00;
const JEQ = 0x10;
const JGT = 0x20;
const JGE = 0x30;
const JSET = 0x40;
const K = 0x00;
const X = 0x08;
const RET_A = 0x10;

/** The kernel checker's structural rules (bpf_check_classic), as far as these programs need. */
export function checkProgram(program: readonly SockFilter[]): void {
  if (program.length === 0 || program.length > 4096) throw new Error('program length out of range');
  program.forEach((ins, pc) => {
    if (CLASS(ins.code) === JMP) {
      const targets = OP(ins.code) === JA ? [pc + 1 + ins.k] : [pc + 1 + ins.jt, pc + 1 + ins.jf];
      for (const t of targets) if (t >= program.length) throw new Error(`jump from ${pc} to ${t} leaves the program`);
    }
  });
  const last = program[program.length - 1] as SockFilter;
  if (CLASS(last.code) !== RET) throw new Error('the last instruction must be a return');
}

/**
 * Runs a classic BPF program over `packet` and returns what the kernel would: the number of
 * bytes to keep (0 = drop).
 */
export function runBpf(filter: Uint8Array | readonly SockFilter[], packet: Uint8Array): number {
  const program = filter instanceof Uint8Array ? decodeSockFilter(filter) : filter;
  checkProgram(program);
  let a = 0;
  let x = 0;
  const load = (at: number, size: number): number | null => {
    const width = size === W ? 4 : size === H ? 2 : size === B ? 1 : -1;
    if (width < 0) throw new Error(`bad load size ${size}`);
    if (at < 0 || at + width > packet.length) return null;
    let v = 0;
    for (let i = 0; i < width; i++) v = v * 256 + (packet[at + i] as number);
    return v >>> 0;
  };
  for (let pc = 0; pc < program.length; pc++) {
    const ins = program[pc] as SockFilter;
    const { code, k } = ins;
    switch (CLASS(code)) {
      case LD: {
        const mode = MODE(code);
        if (mode === IMM) a = k >>> 0;
        else if (mode === LEN) a = packet.length;
        else if (mode === ABS || mode === IND) {
          const v = load(mode === ABS ? k : x + k, SIZE(code));
          if (v === null) return 0;
          a = v;
        } else throw new Error(`unsupported LD mode 0x${code.toString(16)}`);
        break;
      }
      case LDX: {
        const mode = MODE(code);
        if (mode === IMM) x = k >>> 0;
        else if (mode === LEN) x = packet.length;
        else if (mode === MSH && SIZE(code) === B) {
          const v = load(k, B);
          if (v === null) return 0;
          x = 4 * (v & 0x0f);
        } else throw new Error(`unsupported LDX 0x${code.toString(16)}`);
        break;
      }
      case JMP: {
        const op = OP(code);
        if (op === JA) {
          pc += k;
          break;
        }
        const operand = SRC(code) === X ? x : k >>> 0;
        let taken: boolean;
        if (op === JEQ) taken = a === operand;
        else if (op === JGT) taken = a > operand;
        else if (op === JGE) taken = a >= operand;
        else if (op === JSET) taken = (a & operand) !== 0;
        else throw new Error(`unsupported JMP 0x${code.toString(16)}`);
        pc += taken ? ins.jt : ins.jf;
        break;
      }
      case RET: {
        const rval = RVAL(code);
        if (rval === K) return k >>> 0;
        if (rval === RET_A) return a >>> 0;
        throw new Error(`unsupported RET 0x${code.toString(16)}`);
      }
      default:
        throw new Error(`unsupported opcode 0x${code.toString(16)} at ${pc}`);
    }
  }
  throw new Error('fell off the end of the program');
}

/** Opcode constants for hand-written test programs (values from linux/filter.h). */
export const OPCODES = {
  LD_W_ABS: LD | W | ABS,
  LD_H_ABS: LD | H | ABS,
  LD_B_ABS: LD | B | ABS,
  LD_H_IND: LD | H | IND,
  LD_B_IND: LD | B | IND,
  LD_IMM: LD | IMM,
  LD_LEN: LD | W | LEN,
  LDX_B_MSH: LDX | B | MSH,
  JEQ_K: JMP | JEQ | K,
  JEQ_X: JMP | JEQ | X,
  JGT_K: JMP | JGT | K,
  JSET_K: JMP | JSET | K,
  JA: JMP | JA,
  RET_K: RET | K,
  RET_A: RET | RET_A,
} as const;
