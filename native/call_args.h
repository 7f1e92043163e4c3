// Reading the arguments of a JavaScript call into the addon.
#pragma once
#include <napi.h>

#include <cstddef>

namespace rawping {

// Argument `index` as an int32 when it is a number, else `fallback` (absent, undefined, ...).
inline int OptionalInt(const Napi::CallbackInfo& info, size_t index, int fallback) {
  if (info.Length() > index && info[index].IsNumber()) return info[index].As<Napi::Number>().Int32Value();
  return fallback;
}

}  // namespace rawping
