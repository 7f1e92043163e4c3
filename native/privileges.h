// Capability syscalls for the CLI's privilege drop. The library never calls these.
#pragma once
#include <napi.h>

namespace rawping {

// capabilities(): { effective, permitted, inheritable } of the calling
// thread, as bigint bit masks.
Napi::Value Capabilities(const Napi::CallbackInfo& info);

// dropCapabilities(): clears the ambient set, then effective, permitted and inheritable sets
// of the calling thread, and sets no_new_privs so nothing can regain them by exec.
Napi::Value DropCapabilities(const Napi::CallbackInfo& info);

// execve(file: string, argv: string[], env: string[]): replaces the process; returns only by
// throwing.
Napi::Value Execve(const Napi::CallbackInfo& info);

}  // namespace rawping
