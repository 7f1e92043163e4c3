#include "interface_index.h"

#include <net/if.h>

#include <string>

namespace rawping {

Napi::Value InterfaceIndex(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::TypeError::New(env, "interfaceIndex(name: string)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string name = info[0].As<Napi::String>().Utf8Value();
  // A name of IF_NAMESIZE or more bytes names no interface (and an embedded NUL cuts it short).
  if (name.empty() || name.size() >= IF_NAMESIZE || name.find('\0') != std::string::npos) return Napi::Number::New(env, 0);
  return Napi::Number::New(env, if_nametoindex(name.c_str()));
}

}  // namespace rawping
