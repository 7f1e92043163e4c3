// Errors thrown by the addon carry the shape of Node's SystemError (code, errno, syscall),
// so the TypeScript boundary can map them once without parsing messages.
#pragma once
#include <napi.h>
#include <string>

namespace rawping {

// Builds an Error whose message reads like Node's own ("sendto EHOSTUNREACH 10.0.0.1"),
// with code = libuv name of the errno, errno = negative errno (as Node does), syscall.
Napi::Error SystemError(Napi::Env env, int err, const char* syscall,
                        const std::string& detail = std::string());

// The same error built with the plain C API, for callbacks that may run while the
// environment shuts down: returns false (and no error) when it cannot be created.
bool MakeSystemError(napi_env env, int err, const char* syscall, napi_value* out);

}  // namespace rawping
