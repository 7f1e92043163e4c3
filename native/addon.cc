// Module entry. Context-aware (NODE_API_MODULE), so it loads in worker threads too; every
// instance keeps its state in its own objects, nothing in globals.
#include <napi.h>

#include "batch_layout.h"
#include "icmp_socket.h"
#include "mono_clock.h"
#include "privileges.h"

namespace rawping {

namespace {

// monotonicNs(): CLOCK_MONOTONIC now, in nanoseconds, on the same clock as every stamp.
Napi::Value MonotonicNow(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(MonotonicNs()));
}

Napi::Object Layout(Napi::Env env) {
  Napi::Object layout = Napi::Object::New(env);
  layout.Set("stride", kMetaStride);
  layout.Set("dataOffset", kMetaDataOffset);
  layout.Set("length", kMetaLength);
  layout.Set("wireLength", kMetaWireLength);
  layout.Set("flags", kMetaFlags);
  layout.Set("ttl", kMetaTtl);
  layout.Set("recvNs", kMetaRecvNs);
  layout.Set("addrOffset", kMetaAddrOffset);
  layout.Set("scopeId", kMetaScopeId);
  layout.Set("errno", kMetaErrno);
  layout.Set("origin", kMetaOrigin);
  layout.Set("type", kMetaType);
  layout.Set("code", kMetaCode);
  layout.Set("info", kMetaInfo);
  layout.Set("offenderOffset", kMetaOffenderOffset);
  layout.Set("offenderScope", kMetaOffenderScope);
  layout.Set("flagTruncated", kFlagTruncated);
  layout.Set("flagErrorQueue", kFlagErrorQueue);
  layout.Set("flagControlTruncated", kFlagControlTruncated);
  return layout;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("IcmpSocket", IcmpSocket::Init(env));
  exports.Set("monotonicNs", Napi::Function::New(env, MonotonicNow, "monotonicNs"));
  exports.Set("capabilities", Napi::Function::New(env, Capabilities, "capabilities"));
  exports.Set("dropCapabilities", Napi::Function::New(env, DropCapabilities, "dropCapabilities"));
  exports.Set("execve", Napi::Function::New(env, Execve, "execve"));
  exports.Set("batchLayout", Layout(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(rawping, Init)

}  // namespace rawping
