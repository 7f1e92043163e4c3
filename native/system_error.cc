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

bool MakeSystemError(napi_env env, int err, const char* syscall, napi_value* out) {
  const char* code = uv_err_name(-err);
  std::string text = std::string(syscall) + " " + code;
  napi_value message, code_value, errno_value, syscall_value;
  return napi_create_string_utf8(env, text.c_str(), text.size(), &message) == napi_ok &&
         napi_create_string_utf8(env, code, NAPI_AUTO_LENGTH, &code_value) == napi_ok &&
         napi_create_int32(env, -err, &errno_value) == napi_ok &&
         napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &syscall_value) == napi_ok &&
         napi_create_error(env, nullptr, message, out) == napi_ok &&
         napi_set_named_property(env, *out, "code", code_value) == napi_ok &&
         napi_set_named_property(env, *out, "errno", errno_value) == napi_ok &&
         napi_set_named_property(env, *out, "syscall", syscall_value) == napi_ok;
}

}  // namespace rawping
