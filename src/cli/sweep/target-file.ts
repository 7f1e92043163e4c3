// --file: targets from a file or stdin, read as the sweep needs them (never the whole file at
// once), parsed as fping reads its files: the first word of each line, blank lines and
// comments (from a #) skipped. Bounded whatever the file: at most MAX_FILE_BYTES in all and
// MAX_LINE_BYTES per line, and files that could go on for ever (devices such as /dev/zero)
// are refused before anything is read.
// fs.promises, read when a file is opened: node:fs/promises (with readline, which it loads)
// costs 1.5 ms of a start, and only --file needs it.
import { promises as fsPromises } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { escapeText } from '../../wording/escape-text.js';
import { strerror } from '../../wording/strerror.js';
import { UsageError } from '../usage-error.js';

/** Largest --file read, bytes: enough for millions of addresses, never the whole disk. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Longest line, bytes: a name is at most 253 characters; the rest of a line is a comment. */
export const MAX_LINE_BYTES = 64 * 1024;

const CHUNK_BYTES = 64 * 1024;

/** The target a line of a --file names, or null for a blank or comment line: its first word, before any #. */
export function targetOfLine(line: string): string | null {
  const hash = line.indexOf('#');
  const text = hash >= 0 ? line.slice(0, hash) : line;
  // Words are split at ASCII white space only, as fping's isspace() splits them: JavaScript's \s
  // also matches U+FEFF and the Unicode spaces, which would cut a hostile name short.
  const word = /[^ \t\n\v\f\r]+/.exec(text);
  return word === null ? null : word[0];
}

/** A --file opened and checked, ready to be read once. */
export interface TargetFile {
  /** The targets, one per line that names one, read as they are asked for. */
  targets(): AsyncGenerator<string, void, undefined>;
}

function fileError(path: string, error: unknown): UsageError {
  if (error instanceof UsageError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code ?? 'EIO';
  return new UsageError(`--file ${escapeText(path)}: ${strerror(code)}`);
}

function tooBig(path: string): UsageError {
  return new UsageError(`--file ${escapeText(path)}: more than ${MAX_FILE_BYTES} bytes`);
}

/**
 * Opens `path` (`-` for stdin) and checks it can be bounded: a regular file of at most
 * MAX_FILE_BYTES, a pipe or a FIFO (read up to that many). Anything else (a character or block
 * device, a directory) is refused with one line. Throws UsageError.
 */
export async function openTargetFile(path: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<TargetFile> {
  if (path === '-') return { targets: () => lines(path, chunksOf(stdin)) };
  let handle: FileHandle;
  try {
    handle = await fsPromises.open(path, 'r');
  } catch (error) {
    throw fileError(path, error);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new UsageError(`--file ${escapeText(path)}: ${strerror('EISDIR')}`);
    if (!stat.isFile() && !stat.isFIFO()) throw new UsageError(`--file ${escapeText(path)}: not a regular file (a device or socket has no end to read to)`);
    if (stat.isFile() && stat.size > MAX_FILE_BYTES) throw tooBig(path);
  } catch (error) {
    await handle.close();
    throw fileError(path, error);
  }
  return { targets: () => lines(path, chunksOfFile(path, handle)) };
}

async function* chunksOf(stream: NodeJS.ReadableStream): AsyncGenerator<Buffer, void, undefined> {
  for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

async function* chunksOfFile(path: string, handle: FileHandle): AsyncGenerator<Buffer, void, undefined> {
  try {
    for (;;) {
      // A fresh buffer each time: the line splitter may keep a slice of the previous one.
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null));
      } catch (error) {
        throw fileError(path, error);
      }
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** The targets of the lines in `chunks`, under both caps. */
async function* lines(path: string, chunks: AsyncGenerator<Buffer, void, undefined>): AsyncGenerator<string, void, undefined> {
  let total = 0;
  // The start of a line whose end has not come yet.
  let partial: Buffer | null = null;
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of chunks) {
      total += chunk.length;
      if (total > MAX_FILE_BYTES) throw tooBig(path);
      let start = 0;
      for (;;) {
        const newline = chunk.indexOf(10, start);
        if (newline < 0) break;
        const piece = chunk.subarray(start, newline);
        const line = partial === null ? piece : Buffer.concat([partial, piece]);
        partial = null;
        start = newline + 1;
        if (line.length > MAX_LINE_BYTES) throw longLine(path);
        const target = targetOfLine(decoder.decode(line));
        if (target !== null) yield target;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        partial = partial === null ? rest : Buffer.concat([partial, rest]);
        if (partial.length > MAX_LINE_BYTES) throw longLine(path);
      }
    }
    if (partial !== null) {
      const target = targetOfLine(decoder.decode(partial));
      if (target !== null) yield target;
    }
  } finally {
    // Closes the file (or leaves stdin) when the sweep stops reading early.
    await chunks.return(undefined);
  }
}

function longLine(path: string): UsageError {
  return new UsageError(`--file ${escapeText(path)}: a line longer than ${MAX_LINE_BYTES} bytes`);
}
