// What changes the process itself: its capabilities, its image, its end. Only the CLI uses
// these; the library never changes the process's privileges and never exits.
import { callNative } from './map-native-error.js';
import { loadAddon } from './native-binding.js';

/**
 * Clears every capability of the calling thread (ambient, effective, permitted,
 * inheritable) and sets no_new_privs.
 */
export function dropAllCapabilities(): void {
  callNative(() => loadAddon().dropCapabilities());
}

/** Replaces this process with `file` (execve). Returns only by throwing SocketError. */
export function execve(file: string, argv: string[], env: NodeJS.ProcessEnv): never {
  const entries = Object.entries(env)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  return callNative(() => loadAddon().execve(file, argv, entries));
}

/**
 * Ends the process at once with `status` (_exit). process.exit() would wait for a libuv
 * thread stuck in getaddrinfo when a resolver never answers, while rawping has already given
 * up on it and said so. Every write of the CLI is synchronous, so none is lost.
 */
export function exitNow(status: number): never {
  return loadAddon().exitNow(status);
}
