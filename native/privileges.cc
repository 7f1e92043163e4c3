#include "privileges.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string>
#include <vector>

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

Napi::Value Execve(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsArray() || !info[2].IsArray()) {
    Napi::TypeError::New(env, "execve(file: string, argv: string[], env: string[])").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string file = info[0].As<Napi::String>().Utf8Value();
  auto strings = [](const Napi::Array& array) {
    std::vector<std::string> out;
    for (uint32_t i = 0; i < array.Length(); i++) out.push_back(array.Get(i).ToString().Utf8Value());
    return out;
  };
  std::vector<std::string> args = strings(info[1].As<Napi::Array>());
  std::vector<std::string> envs = strings(info[2].As<Napi::Array>());
  std::vector<char*> argv, envp;
  for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  for (auto& e : envs) envp.push_back(const_cast<char*>(e.c_str()));
  argv.push_back(nullptr);
  envp.push_back(nullptr);
  // Node marks its standard streams close-on-exec; the new image needs them.
  for (int fd = 0; fd <= 2; fd++) {
    int flags = fcntl(fd, F_GETFD);
    if (flags >= 0) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
  }
  execve(file.c_str(), argv.data(), envp.data());
  SystemError(env, errno, "execve", file).ThrowAsJavaScriptException();
  return env.Undefined();
}

}  // namespace rawping
