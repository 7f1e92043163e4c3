#include "route_source.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "address_text.h"
#include "system_error.h"

namespace rawping {

namespace {

// Closes the descriptor on every path out, keeping errno as the failing call left it.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) {
      int saved = errno;
      close(fd_);
      errno = saved;
    }
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

// In C rather than through node:dgram: dgram drags in dns, net, cluster and child_process,
// about 5 ms of module loading on every start of the CLI, for three system calls.
Napi::Value RouteSource(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsNumber() || !info[1].IsString() || !info[2].IsNumber() ||
      !info[3].IsBoolean()) {
    Napi::TypeError::New(env, "routeSource(family: 4 | 6, address: string, scopeId: number, broadcast: boolean)")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int family = info[0].As<Napi::Number>().Int32Value() == 6 ? AF_INET6 : AF_INET;
  std::string text = info[1].As<Napi::String>().Utf8Value();
  uint32_t scope = info[2].As<Napi::Number>().Uint32Value();
  bool broadcast = info[3].As<Napi::Boolean>().Value();

  sockaddr_storage to;
  socklen_t to_len = 0;
  // A connected UDP socket needs a port; any will do, as nothing is sent. ping uses 1025.
  if (!SockaddrFromText(family, text.c_str(), htons(1025), scope, &to, &to_len)) {
    SystemError(env, EINVAL, "connect", text).ThrowAsJavaScriptException();
    return env.Undefined();
  }

  ScopedFd fd(socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) {
    SystemError(env, errno, "socket").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  // SO_BROADCAST before connect(): without it a broadcast destination fails with EACCES.
  int on = 1;
  if (broadcast && setsockopt(fd.get(), SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) < 0) {
    SystemError(env, errno, "setsockopt").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&to), to_len) < 0) {
    SystemError(env, errno, "connect", text).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  sockaddr_storage local;
  socklen_t local_len = sizeof(local);
  if (getsockname(fd.get(), reinterpret_cast<sockaddr*>(&local), &local_len) < 0) {
    SystemError(env, errno, "getsockname").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::String::New(env, AddressText(local));
}

}  // namespace rawping

namespace rawping {

// routeMtu(family: 4 | 6, address: string, scopeId: number): number. The path MTU the kernel
// knows towards `address` (IP_MTU / IPV6_MTU of a UDP socket connected to it: nothing is
// sent), as ping reports it after EMSGSIZE. Throws a SystemError when the route lookup fails.
Napi::Value RouteMtu(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsNumber() || !info[1].IsString() || !info[2].IsNumber()) {
    Napi::TypeError::New(env, "routeMtu(family: 4 | 6, address: string, scopeId: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int family = info[0].As<Napi::Number>().Int32Value() == 6 ? AF_INET6 : AF_INET;
  std::string text = info[1].As<Napi::String>().Utf8Value();
  sockaddr_storage to;
  socklen_t to_len = 0;
  if (!SockaddrFromText(family, text.c_str(), htons(1025), info[2].As<Napi::Number>().Uint32Value(), &to, &to_len)) {
    SystemError(env, EINVAL, "connect", text).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  ScopedFd fd(socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (fd.get() < 0) {
    SystemError(env, errno, "socket").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&to), to_len) < 0) {
    SystemError(env, errno, "connect", text).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int mtu = 0;
  socklen_t mtu_len = sizeof(mtu);
  int rc = family == AF_INET ? getsockopt(fd.get(), IPPROTO_IP, IP_MTU, &mtu, &mtu_len)
                             : getsockopt(fd.get(), IPPROTO_IPV6, IPV6_MTU, &mtu, &mtu_len);
  if (rc < 0) {
    SystemError(env, errno, "getsockopt", family == AF_INET ? "IP_MTU" : "IPV6_MTU").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, mtu);
}

}  // namespace rawping
