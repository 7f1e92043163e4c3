#include "system_error.h"

#include <uv.h>

namespace rawping {

Napi::Error SystemError(Napi::Env env, int err, const char* syscall, const std::string& detail) {
  const char* code = uv_err_name(-err);
  std::string message = std::string(syscall) + " " + code;
  if (!detail.empty()) message += " " + detail;
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  error.Set("errno", Napi::Number::New(env, -err));
  error.Set("syscall", Napi::String::New(env, syscall));
  if (!detail.empty()) error.Set("address", Napi::String::New(env, detail));
  return error;
}

}  // namespace rawping
