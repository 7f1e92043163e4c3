#include "privileges.h"

#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "system_error.h"

namespace rawping {

namespace {

// glibc has no wrapper without libcap; the raw syscalls keep the addon free of that library.
int CapGet(cap_user_data_t data) {
  __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  return static_cast<int>(syscall(SYS_capget, &header, data));
}

int CapSet(cap_user_data_t data) {
  __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  return static_cast<int>(syscall(SYS_capset, &header, data));
}

uint64_t Join(uint32_t low, uint32_t high) {
  return (static_cast<uint64_t>(high) << 32) | low;
}

}  // namespace

Napi::Value Capabilities(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  __user_cap_data_struct data[2] = {};
  if (CapGet(data) < 0) {
    SystemError(env, errno, "capget").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("effective", Napi::BigInt::New(env, Join(data[0].effective, data[1].effective)));
  result.Set("permitted", Napi::BigInt::New(env, Join(data[0].permitted, data[1].permitted)));
  result.Set("inheritable", Napi::BigInt::New(env, Join(data[0].inheritable, data[1].inheritable)));
  return result;
}

Napi::Value DropCapabilities(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  // Ambient first: the kernel keeps ambient a subset of permitted & inheritable, and clearing
  // it explicitly makes the intent plain even where capset would drop it implicitly.
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) {
    SystemError(env, errno, "prctl", "PR_CAP_AMBIENT_CLEAR_ALL").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  __user_cap_data_struct data[2] = {};
  if (CapSet(data) < 0) {
    SystemError(env, errno, "capset").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
    SystemError(env, errno, "prctl", "PR_SET_NO_NEW_PRIVS").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return env.Undefined();
}

}  // namespace rawping
