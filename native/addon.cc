// Module entry. Context-aware (NODE_API_MODULE), so it loads in worker threads too; every
// instance keeps its state in its own objects, nothing in globals.
#include <errno.h>
#include <napi.h>
#include <sys/random.h>
#include <unistd.h>

#include "batch_layout.h"
#include "icmp_socket.h"
#include "interface_index.h"
#include "privileges.h"
#include "route_source.h"
#include "system_error.h"

namespace rawping {

namespace {

// randomBytes(n): n bytes from getrandom(2), the kernel's generator. Cheaper to reach than
// node:crypto, whose loading cost the CLI's start-up more than everything else it needs.
Napi::Value RandomBytes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int n = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : -1;
  if (n < 0 || n > 256) {
    Napi::RangeError::New(env, "randomBytes: 0..256 bytes").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Buffer<uint8_t> out = Napi::Buffer<uint8_t>::New(env, static_cast<size_t>(n));
  size_t filled = 0;
  while (filled < static_cast<size_t>(n)) {
    ssize_t got = getrandom(out.Data() + filled, static_cast<size_t>(n) - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      SystemError(env, errno, "getrandom").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    filled += static_cast<size_t>(got);
  }
  return out;
}

// exitNow(status): _exit(2). process.exit() waits for libuv's pool threads, and one stuck in
// getaddrinfo on a resolver that never answers holds the process for glibc's own timeout
// (10 s per name server). The CLI writes synchronously, so nothing is lost.
Napi::Value ExitNow(const Napi::CallbackInfo& info) {
  int status = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : 1;
  _exit(status);
}

// isTerminal(fd): isatty(3). node:tty answers the same, but loading it loads node:net and the
// streams (about 4 ms of the CLI's start), and the CLI asks only whether to buffer its output.
Napi::Value IsTerminal(const Napi::CallbackInfo& info) {
  int fd = info.Length() > 0 && info[0].IsNumber() ? info[0].As<Napi::Number>().Int32Value() : -1;
  return Napi::Boolean::New(info.Env(), fd >= 0 && isatty(fd) == 1);
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
  layout.Set("sentAfter", kMetaSentAfter);
  layout.Set("batchSent", kMetaBatchSent);
  layout.Set("flagTruncated", kFlagTruncated);
  layout.Set("flagErrorQueue", kFlagErrorQueue);
  layout.Set("flagSendReport", kFlagSendReport);
  layout.Set("flagSendOwed", kFlagSendOwed);
  layout.Set("flagSendWithheld", kFlagSendWithheld);
  layout.Set("flagBatchReport", kFlagBatchReport);
  layout.Set("maxPacketsPerWake", static_cast<double>(kMaxPacketsPerWake));
  return layout;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("IcmpSocket", IcmpSocket::Init(env));
  exports.Set("randomBytes", Napi::Function::New(env, RandomBytes, "randomBytes"));
  exports.Set("exitNow", Napi::Function::New(env, ExitNow, "exitNow"));
  exports.Set("isTerminal", Napi::Function::New(env, IsTerminal, "isTerminal"));
  exports.Set("capabilities", Napi::Function::New(env, Capabilities, "capabilities"));
  exports.Set("dropCapabilities", Napi::Function::New(env, DropCapabilities, "dropCapabilities"));
  exports.Set("execve", Napi::Function::New(env, Execve, "execve"));
  exports.Set("routeSource", Napi::Function::New(env, RouteSource, "routeSource"));
  exports.Set("routeMtu", Napi::Function::New(env, RouteMtu, "routeMtu"));
  exports.Set("interfaceIndex", Napi::Function::New(env, InterfaceIndex, "interfaceIndex"));
  exports.Set("batchLayout", Layout(env));
  return exports;
}

}  // namespace

NODE_API_MODULE(rawping, Init)

}  // namespace rawping
