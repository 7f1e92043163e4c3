// Reading the config file: bounded, so a wrong path (a 10 MB log, /dev/zero, a list of a
// million hosts) is refused quickly instead of filling the daemon's memory.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { escapeText } from '../../wording/escape-text.js';
import { ConfigError, parseConfig, type ExporterConfig } from './exporter-config.js';

/** The largest config file read, bytes: a hundred thousand targets fit in well under this. */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** A config as read from its file, with the SHA-256 of the bytes read (hex), for rawping_config_info. */
export interface LoadedConfig extends ExporterConfig {
  sha256: string;
}

/** Reads and checks the config file at `path`. Throws ConfigError naming the file (and the line and key). */
export function loadConfig(path: string): LoadedConfig {
  const shown = escapeText(path, 200);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new ConfigError(`${shown}: cannot open: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new ConfigError(`${shown}: is a directory`);
    if (stat.size > MAX_CONFIG_BYTES) throw new ConfigError(`${shown}: ${stat.size} bytes, larger than the ${MAX_CONFIG_BYTES} a config may be`);
    // A device or a pipe says nothing of its size, and a file may grow: read at most one byte past the limit.
    const buffer = Buffer.allocUnsafe(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) break;
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > MAX_CONFIG_BYTES) throw new ConfigError(`${shown}: larger than the ${MAX_CONFIG_BYTES} bytes a config may be`);
    const config = parseConfig(buffer.toString('utf8', 0, length), shown);
    return { ...config, sha256: createHash('sha256').update(buffer.subarray(0, length)).digest('hex') };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${shown}: cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  } finally {
    closeSync(fd);
  }
}
