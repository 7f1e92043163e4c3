// IcmpSocket's send path: one datagram with sendto, or many with sendmmsg, each stamped on the
// monotonic clock immediately before the system call (DESIGN.md: RTTs come from that stamp and
// the kernel's receive stamp only).
#include "icmp_socket.h"

#include <errno.h>

#include <algorithm>
#include <vector>

#include "address_text.h"
#include "call_args.h"
#include "mono_clock.h"
#include "system_error.h"

namespace rawping {

bool IcmpSocket::ParseAddress(Napi::Env env, const Napi::Value& address, uint32_t scope_id,
                              sockaddr_storage* out, socklen_t* out_len, const char* syscall) {
  char text[INET6_ADDRSTRLEN + 1];
  size_t copied = 0;
  if (!address.IsString() ||
      napi_get_value_string_utf8(env, address, text, sizeof(text), &copied) != napi_ok) {
    Napi::TypeError::New(env, "address must be a string").ThrowAsJavaScriptException();
    return false;
  }
  if (!SockaddrFromText(family_, text, 0, scope_id, out, out_len)) {
    SystemError(env, EINVAL, syscall, text).ThrowAsJavaScriptException();
    return false;
  }
  // The flow label the kernel granted (setFlowLabel) goes out only where the address asks for it.
  if (family_ == AF_INET6) reinterpret_cast<sockaddr_in6*>(out)->sin6_flowinfo = flowinfo_;
  return true;
}

// send(bytes: Uint8Array, address: string, scopeId: number): number
// Returns the monotonic nanosecond at which sendto was entered. The stamp is taken here, in
// C, immediately before the syscall, so no event-loop delay can enter an RTT.
Napi::Value IcmpSocket::Send(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (info.Length() < 2 || !info[0].IsTypedArray()) {
    Napi::TypeError::New(env, "send(bytes: Uint8Array, address: string, scopeId?: number)")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::TypedArray array = info[0].As<Napi::TypedArray>();
  const uint8_t* bytes = static_cast<const uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
  size_t length = array.ByteLength();
  uint32_t scope = static_cast<uint32_t>(OptionalInt(info, 2, 0));
  sockaddr_storage to;
  socklen_t to_len = 0;
  if (!ParseAddress(env, info[1], scope, &to, &to_len, "sendto")) return env.Undefined();

  int64_t stamp = 0;
  ssize_t sent;
  do {
    stamp = MonotonicNs();
    sent = sendto(fd_, bytes, length, 0, reinterpret_cast<sockaddr*>(&to), to_len);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    int err = errno;
    SystemError(env, err, "sendto", AddressText(to)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(stamp));
}

// sendBatch(packets: Uint8Array, packetLength: number, addresses: string[], scopeIds: number[])
//   -> { sent: number, stampNs: number, error?: SystemError }
// Sends packets[i * packetLength, (i + 1) * packetLength) to addresses[i] with one sendmmsg
// per up to 64 packets (a sweep otherwise pays one system call per probe). stampNs is taken
// immediately before the first sendmmsg. A failure stops the batch: `sent` packets went, and
// `error` is what the next one met.
Napi::Value IcmpSocket::SendBatch(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (info.Length() < 4 || !info[0].IsTypedArray() || !info[1].IsNumber() || !info[2].IsArray() || !info[3].IsArray()) {
    Napi::TypeError::New(env, "sendBatch(packets, packetLength, addresses, scopeIds)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::TypedArray array = info[0].As<Napi::TypedArray>();
  const uint8_t* bytes = static_cast<const uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
  size_t packet_length = info[1].As<Napi::Number>().Uint32Value();
  Napi::Array addresses = info[2].As<Napi::Array>();
  Napi::Array scopes = info[3].As<Napi::Array>();
  size_t count = addresses.Length();
  if (packet_length == 0 || count * packet_length > array.ByteLength() || scopes.Length() != count) {
    Napi::RangeError::New(env, "sendBatch: packets and addresses do not match").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  constexpr size_t kChunk = 64;
  std::vector<sockaddr_storage> to(count);
  std::vector<iovec> iov(count);
  std::vector<mmsghdr> msgs(count);
  for (size_t i = 0; i < count; i++) {
    socklen_t len = 0;
    uint32_t scope = static_cast<uint32_t>(scopes.Get(i).As<Napi::Number>().Uint32Value());
    if (!ParseAddress(env, addresses.Get(i), scope, &to[i], &len, "sendto")) return env.Undefined();
    iov[i].iov_base = const_cast<uint8_t*>(bytes + i * packet_length);
    iov[i].iov_len = packet_length;
    msgs[i] = mmsghdr{};
    msgs[i].msg_hdr.msg_name = &to[i];
    msgs[i].msg_hdr.msg_namelen = len;
    msgs[i].msg_hdr.msg_iov = &iov[i];
    msgs[i].msg_hdr.msg_iovlen = 1;
  }
  int64_t stamp = MonotonicNs();
  size_t sent = 0;
  int err = 0;
  while (sent < count) {
    int n = sendmmsg(fd_, msgs.data() + sent, static_cast<unsigned int>(std::min(kChunk, count - sent)), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      break;
    }
    if (n == 0) {
      err = EAGAIN;
      break;
    }
    sent += static_cast<size_t>(n);
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("sent", Napi::Number::New(env, static_cast<double>(sent)));
  result.Set("stampNs", Napi::Number::New(env, static_cast<double>(stamp)));
  if (err != 0) {
    result.Set("error", SystemError(env, err, "sendto", AddressText(to[sent])).Value());
  }
  return result;
}

}  // namespace rawping
