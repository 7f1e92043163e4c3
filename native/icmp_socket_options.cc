// IcmpSocket's socket options: TTL, TOS, broadcast, bind and bind-to-device, the kernel's ICMP
// type filters and classic BPF, close-on-exec, and the local address. Each is one syscall with
// the caller's values; which values is the TypeScript side's decision.
#include "icmp_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/icmp.h>
// IFNAMSIZ comes from <linux/if.h> through <linux/icmp.h>; <net/if.h> would clash with it.
#include <linux/in6.h>
#include <netinet/icmp6.h>
#include <string.h>

#include <string>
#include <vector>

#include "address_text.h"
#include "call_args.h"
#include "system_error.h"

namespace rawping {

namespace {

// The kernel's limit on the length of a classic BPF program: a longer one is refused here,
// before it is copied.
constexpr int kMaxFilterInstructions = BPF_MAXINSNS;

Napi::Value SetIntOption(const Napi::CallbackInfo& info, int fd, int level, int name, const char* what) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, std::string(what) + " needs a number").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int value = info[0].As<Napi::Number>().Int32Value();
  if (setsockopt(fd, level, name, &value, sizeof(value)) < 0) {
    SystemError(env, errno, "setsockopt", what).ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

// The socket options setOption() knows, by the name TypeScript uses: one level and name per
// family (-1: the family has none). Integers unless `bytes`.
struct NamedOption {
  const char* name;
  int level4;
  int name4;
  int level6;
  int name6;
  bool bytes;
};

constexpr NamedOption kNamedOptions[] = {
    {"SO_MARK", SOL_SOCKET, SO_MARK, SOL_SOCKET, SO_MARK, false},
    {"SO_SNDBUF", SOL_SOCKET, SO_SNDBUF, SOL_SOCKET, SO_SNDBUF, false},
    {"SO_DEBUG", SOL_SOCKET, SO_DEBUG, SOL_SOCKET, SO_DEBUG, false},
    {"SO_DONTROUTE", SOL_SOCKET, SO_DONTROUTE, SOL_SOCKET, SO_DONTROUTE, false},
    {"MTU_DISCOVER", IPPROTO_IP, IP_MTU_DISCOVER, IPPROTO_IPV6, IPV6_MTU_DISCOVER, false},
    {"MULTICAST_LOOP", IPPROTO_IP, IP_MULTICAST_LOOP, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, false},
    {"MULTICAST_TTL", IPPROTO_IP, IP_MULTICAST_TTL, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, false},
    {"IP_OPTIONS", IPPROTO_IP, IP_OPTIONS, -1, -1, true},
};

}  // namespace

// setOption(name: string, value: number | Uint8Array): one setsockopt of the named option
// (kNamedOptions) for the socket's family, with the caller's value. Throws a SystemError
// named after the option (ENOPROTOOPT for an option the family does not have).
Napi::Value IcmpSocket::SetOption(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (info.Length() < 2 || !info[0].IsString() || !(info[1].IsNumber() || info[1].IsTypedArray())) {
    Napi::TypeError::New(env, "setOption(name: string, value: number | Uint8Array)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string name = info[0].As<Napi::String>().Utf8Value();
  const NamedOption* option = nullptr;
  for (const NamedOption& o : kNamedOptions) {
    if (name == o.name) option = &o;
  }
  if (option == nullptr) {
    Napi::TypeError::New(env, "setOption: unknown option " + name).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int level = family_ == AF_INET ? option->level4 : option->level6;
  int optname = family_ == AF_INET ? option->name4 : option->name6;
  if (level < 0) {
    SystemError(env, ENOPROTOOPT, "setsockopt", name).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int rc;
  if (option->bytes) {
    if (!info[1].IsTypedArray()) {
      Napi::TypeError::New(env, name + " needs bytes").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    Napi::TypedArray array = info[1].As<Napi::TypedArray>();
    if (array.ByteLength() > 40) {  // the most IPv4 options a header holds
      SystemError(env, EINVAL, "setsockopt", name).ThrowAsJavaScriptException();
      return env.Undefined();
    }
    const uint8_t* data = static_cast<const uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
    rc = setsockopt(fd_, level, optname, data, static_cast<socklen_t>(array.ByteLength()));
  } else {
    if (!info[1].IsNumber()) {
      Napi::TypeError::New(env, name + " needs a number").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    // SO_MARK takes the whole unsigned 32-bit range; the others are ints.
    uint32_t value = static_cast<uint32_t>(info[1].As<Napi::Number>().Int64Value());
    rc = setsockopt(fd_, level, optname, &value, sizeof(value));
  }
  if (rc < 0) SystemError(env, errno, "setsockopt", name).ThrowAsJavaScriptException();
  return env.Undefined();
}

// connect(address: string, scopeId?: number): the socket then sends to and hears from that
// address only (ping -C).
Napi::Value IcmpSocket::Connect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  sockaddr_storage addr;
  socklen_t len = 0;
  if (info.Length() < 1 ||
      !ParseAddress(env, info[0], static_cast<uint32_t>(OptionalInt(info, 1, 0)), &addr, &len, "connect")) {
    return env.Undefined();
  }
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), len) < 0) {
    SystemError(env, errno, "connect", AddressText(addr)).ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

// setFlowLabel(label: number, destination: string): asks the kernel for IPv6 flow label
// `label` towards `destination` (IPV6_FLOWLABEL_MGR, exclusive, created if new), turns on
// IPV6_FLOWINFO_SEND, and puts the label in every later sendto's address. Returns the label
// the kernel granted.
Napi::Value IcmpSocket::SetFlowLabel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (family_ != AF_INET6) {
    SystemError(env, ENOPROTOOPT, "setsockopt", "IPV6_FLOWLABEL_MGR").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (info.Length() < 2 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "setFlowLabel(label: number, destination: string)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  sockaddr_storage dst;
  socklen_t len = 0;
  if (!ParseAddress(env, info[1], 0, &dst, &len, "setsockopt")) return env.Undefined();
  in6_flowlabel_req request;
  memset(&request, 0, sizeof(request));
  request.flr_label = htonl(static_cast<uint32_t>(info[0].As<Napi::Number>().Int64Value()) & 0xfffff);
  request.flr_action = IPV6_FL_A_GET;
  request.flr_flags = IPV6_FL_F_CREATE;
  request.flr_share = IPV6_FL_S_EXCL;
  request.flr_dst = reinterpret_cast<sockaddr_in6*>(&dst)->sin6_addr;
  if (setsockopt(fd_, IPPROTO_IPV6, IPV6_FLOWLABEL_MGR, &request, sizeof(request)) < 0) {
    SystemError(env, errno, "setsockopt", "IPV6_FLOWLABEL_MGR").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int on = 1;
  if (setsockopt(fd_, IPPROTO_IPV6, IPV6_FLOWINFO_SEND, &on, sizeof(on)) < 0) {
    SystemError(env, errno, "setsockopt", "IPV6_FLOWINFO_SEND").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  flowinfo_ = request.flr_label;
  return Napi::Number::New(env, ntohl(request.flr_label));
}

// localAddress(): { address: string, port: number }. On a datagram ICMP socket the port is
// the echo identifier the kernel chose for it.
Napi::Value IcmpSocket::LocalAddress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  sockaddr_storage ss;
  socklen_t len = sizeof(ss);
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&ss), &len) < 0) {
    SystemError(env, errno, "getsockname").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int port = ss.ss_family == AF_INET ? ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port)
                                     : ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  Napi::Object result = Napi::Object::New(env);
  result.Set("address", Napi::String::New(env, AddressText(ss)));
  result.Set("port", Napi::Number::New(env, port));
  return result;
}

Napi::Value IcmpSocket::SetTtl(const Napi::CallbackInfo& info) {
  if (!CheckOpen(info.Env())) return info.Env().Undefined();
  if (family_ == AF_INET) return SetIntOption(info, fd_, IPPROTO_IP, IP_TTL, "IP_TTL");
  return SetIntOption(info, fd_, IPPROTO_IPV6, IPV6_UNICAST_HOPS, "IPV6_UNICAST_HOPS");
}

Napi::Value IcmpSocket::SetTos(const Napi::CallbackInfo& info) {
  if (!CheckOpen(info.Env())) return info.Env().Undefined();
  if (family_ == AF_INET) return SetIntOption(info, fd_, IPPROTO_IP, IP_TOS, "IP_TOS");
  return SetIntOption(info, fd_, IPPROTO_IPV6, IPV6_TCLASS, "IPV6_TCLASS");
}

Napi::Value IcmpSocket::SetBroadcast(const Napi::CallbackInfo& info) {
  if (!CheckOpen(info.Env())) return info.Env().Undefined();
  return SetIntOption(info, fd_, SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST");
}

// bind(address: string, scopeId?: number, port?: number). On a datagram ICMP socket the port
// is the echo identifier its requests carry (0: the kernel picks one).
Napi::Value IcmpSocket::Bind(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  sockaddr_storage addr;
  socklen_t len = 0;
  if (info.Length() < 1 ||
      !ParseAddress(env, info[0], static_cast<uint32_t>(OptionalInt(info, 1, 0)), &addr, &len, "bind")) {
    return env.Undefined();
  }
  uint16_t port = htons(static_cast<uint16_t>(OptionalInt(info, 2, 0)));
  if (addr.ss_family == AF_INET) reinterpret_cast<sockaddr_in*>(&addr)->sin_port = port;
  else reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port = port;
  if (bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) < 0) {
    std::string text = info[0].As<Napi::String>().Utf8Value();
    SystemError(env, errno, "bind", text).ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

// bindDevice(name: string)
Napi::Value IcmpSocket::BindDevice(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (info.Length() < 1 || !info[0].IsString()) {
    Napi::TypeError::New(env, "bindDevice(name: string)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::string name = info[0].As<Napi::String>().Utf8Value();
  if (name.size() >= IFNAMSIZ) {
    SystemError(env, ENODEV, "setsockopt", name).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (setsockopt(fd_, SOL_SOCKET, SO_BINDTODEVICE, name.c_str(), static_cast<socklen_t>(name.size() + 1)) < 0) {
    SystemError(env, errno, "setsockopt", name).ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

// setTypeFilter(passTypes: number[]): ICMP_FILTER / ICMP6_FILTER on a raw socket. Which types
// pass is the caller's decision; this only translates the list into the kernel's bitmaps.
Napi::Value IcmpSocket::SetTypeFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (!raw_) {
    SystemError(env, EINVAL, "setsockopt", "type filters need a raw socket").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (info.Length() < 1 || !info[0].IsArray()) {
    Napi::TypeError::New(env, "setTypeFilter(passTypes: number[])").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::Array types = info[0].As<Napi::Array>();
  int rc;
  if (family_ == AF_INET) {
    icmp_filter filter;
    filter.data = ~0U;  // a set bit blocks that type (types 32 and above always pass)
    for (uint32_t i = 0; i < types.Length(); i++) {
      int type = types.Get(i).As<Napi::Number>().Int32Value();
      if (type >= 0 && type < 32) filter.data &= ~(1U << type);
    }
    rc = setsockopt(fd_, SOL_RAW, ICMP_FILTER, &filter, sizeof(filter));
  } else {
    icmp6_filter filter;
    ICMP6_FILTER_SETBLOCKALL(&filter);
    for (uint32_t i = 0; i < types.Length(); i++) {
      int type = types.Get(i).As<Napi::Number>().Int32Value();
      if (type >= 0 && type < 256) ICMP6_FILTER_SETPASS(type, &filter);
    }
    rc = setsockopt(fd_, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof(filter));
  }
  if (rc < 0) SystemError(env, errno, "setsockopt", "ICMP_FILTER").ThrowAsJavaScriptException();
  return env.Undefined();
}

// attachFilter(program: Uint8Array): a classic BPF program, 8 bytes per instruction in host
// byte order (struct sock_filter), assembled by the caller.
Napi::Value IcmpSocket::AttachFilter(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (info.Length() < 1 || !info[0].IsTypedArray()) {
    Napi::TypeError::New(env, "attachFilter(program: Uint8Array)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::TypedArray array = info[0].As<Napi::TypedArray>();
  size_t bytes = array.ByteLength();
  if (bytes == 0 || bytes % sizeof(sock_filter) != 0 ||
      bytes / sizeof(sock_filter) > static_cast<size_t>(kMaxFilterInstructions)) {
    SystemError(env, EINVAL, "setsockopt", "SO_ATTACH_FILTER").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  std::vector<sock_filter> program(bytes / sizeof(sock_filter));
  memcpy(program.data(), static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset(), bytes);
  sock_fprog fprog;
  fprog.len = static_cast<unsigned short>(program.size());
  fprog.filter = program.data();
  if (setsockopt(fd_, SOL_SOCKET, SO_ATTACH_FILTER, &fprog, sizeof(fprog)) < 0) {
    SystemError(env, errno, "setsockopt", "SO_ATTACH_FILTER").ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

// setInheritable(on: boolean): whether the descriptor survives an exec (FD_CLOEXEC cleared).
Napi::Value IcmpSocket::SetInheritable(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  bool on = info.Length() > 0 && info[0].ToBoolean().Value();
  int flags = fcntl(fd_, F_GETFD);
  if (flags < 0 || fcntl(fd_, F_SETFD, on ? (flags & ~FD_CLOEXEC) : (flags | FD_CLOEXEC)) < 0) {
    SystemError(env, errno, "fcntl").ThrowAsJavaScriptException();
  }
  return env.Undefined();
}

}  // namespace rawping
