import { SocketError } from '../errors.js';
import type { NativeSystemError } from './native-binding.js';

/** True when `error` has the SystemError shape the addon throws. */
function isNativeSystemError(error: unknown): error is NativeSystemError {
  return (
    error instanceof Error &&
    typeof (error as Partial<NativeSystemError>).code === 'string' &&
    typeof (error as Partial<NativeSystemError>).syscall === 'string'
  );
}

/**
 * Maps an error thrown by the addon to SocketError, once, at the boundary. Anything else
 * (a TypeError from a wrong argument) passes through unchanged: that is a bug, not a state.
 */
export function mapNativeError(error: unknown): unknown {
  if (!isNativeSystemError(error)) return error;
  return new SocketError(error.code, error.errno, error.syscall, error.message, {
    cause: error,
    ...(error.address !== undefined ? { detail: error.address } : {}),
  });
}

/** Runs a call into the addon, with what it throws mapped by `mapNativeError`. */
export function callNative<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw mapNativeError(error);
  }
}
