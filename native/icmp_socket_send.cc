// IcmpSocket's send path: one datagram with sendto, or many with sendmmsg, each stamped on the
// monotonic clock immediately before the system call (DESIGN.md: RTTs come from that stamp and
// the kernel's receive stamp only).
#include "icmp_socket.h"

#include <errno.h>
#include <string.h>

#include <algorithm>
#include <string>
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

// The arguments of sendBatch and sendBatchOnThread: (packets: Uint8Array, packetLength: number,
// addresses: string[], scopeIds: number[]). Packet i is packets[i * packetLength, (i + 1) *
// packetLength); the bytes stay JavaScript's (the caller copies them if it keeps them).
bool IcmpSocket::ParseBatch(const Napi::CallbackInfo& info, const char* name, OutgoingBatch* out) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsTypedArray() || !info[1].IsNumber() || !info[2].IsArray() || !info[3].IsArray()) {
    Napi::TypeError::New(env, std::string(name) + "(packets, packetLength, addresses, scopeIds)").ThrowAsJavaScriptException();
    return false;
  }
  Napi::TypedArray array = info[0].As<Napi::TypedArray>();
  size_t packet_length = info[1].As<Napi::Number>().Uint32Value();
  Napi::Array addresses = info[2].As<Napi::Array>();
  Napi::Array scopes = info[3].As<Napi::Array>();
  size_t count = addresses.Length();
  if (packet_length == 0 || packet_length > 65535 || count * packet_length > array.ByteLength() || scopes.Length() != count) {
    Napi::RangeError::New(env, std::string(name) + ": packets and addresses do not match").ThrowAsJavaScriptException();
    return false;
  }
  out->bytes = static_cast<const uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
  out->packet_length = packet_length;
  out->to.resize(count);
  out->to_len.resize(count);
  for (size_t i = 0; i < count; i++) {
    uint32_t scope = static_cast<uint32_t>(scopes.Get(i).As<Napi::Number>().Uint32Value());
    if (!ParseAddress(env, addresses.Get(i), scope, &out->to[i], &out->to_len[i], "sendto")) return false;
  }
  return true;
}

// Sends the `count` packets of `batch` (from `bytes`) with one sendmmsg per up to 64 of them.
// A failure stops the batch: returns how many went, with *err what the next one met (0: none).
size_t IcmpSocket::SendMany(const uint8_t* bytes, const OutgoingBatch& batch, int* err) {
  constexpr size_t kChunk = 64;
  const size_t count = batch.to.size();
  iovec iov[kChunk];
  mmsghdr msgs[kChunk];
  size_t sent = 0;
  *err = 0;
  while (sent < count) {
    const size_t chunk = std::min(kChunk, count - sent);
    for (size_t i = 0; i < chunk; i++) {
      iov[i].iov_base = const_cast<uint8_t*>(bytes + (sent + i) * batch.packet_length);
      iov[i].iov_len = batch.packet_length;
      msgs[i] = mmsghdr{};
      msgs[i].msg_hdr.msg_name = const_cast<sockaddr_storage*>(&batch.to[sent + i]);
      msgs[i].msg_hdr.msg_namelen = batch.to_len[sent + i];
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
    }
    int n = sendmmsg(fd_, msgs, static_cast<unsigned int>(chunk), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      *err = errno;
      break;
    }
    if (n == 0) {
      *err = EAGAIN;
      break;
    }
    sent += static_cast<size_t>(n);
  }
  return sent;
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
  OutgoingBatch batch;
  if (!ParseBatch(info, "sendBatch", &batch)) return env.Undefined();
  int err = 0;
  int64_t stamp = MonotonicNs();
  size_t sent = SendMany(batch.bytes, batch, &err);
  Napi::Object result = Napi::Object::New(env);
  result.Set("sent", Napi::Number::New(env, static_cast<double>(sent)));
  result.Set("stampNs", Napi::Number::New(env, static_cast<double>(stamp)));
  if (err != 0) {
    result.Set("error", SystemError(env, err, "sendto", AddressText(batch.to[sent])).Value());
  }
  return result;
}

// sendWithHopLimit(bytes: Uint8Array, address: string, scopeId: number, hopLimit: number): number
// As send, with this datagram's TTL / hop limit (1-255) in a control message (IP_TTL for
// IPv4, IPV6_HOPLIMIT for IPv6) instead of the socket's: one socket serves every hop of a
// trace, and no setsockopt stands between the probes of different hops. Raw and datagram
// ICMP sockets both take the control message (ip_cmsg_send, ip6_datagram_send_ctl).
Napi::Value IcmpSocket::SendWithHopLimit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (info.Length() < 4 || !info[0].IsTypedArray() || !info[3].IsNumber()) {
    Napi::TypeError::New(env, "sendWithHopLimit(bytes: Uint8Array, address: string, scopeId: number, hopLimit: number)")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int hop_limit = info[3].As<Napi::Number>().Int32Value();
  if (hop_limit < 1 || hop_limit > 255) {
    Napi::RangeError::New(env, "sendWithHopLimit: hopLimit must be 1 to 255").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::TypedArray array = info[0].As<Napi::TypedArray>();
  uint32_t scope = static_cast<uint32_t>(OptionalInt(info, 2, 0));
  sockaddr_storage to;
  socklen_t to_len = 0;
  if (!ParseAddress(env, info[1], scope, &to, &to_len, "sendmsg")) return env.Undefined();

  iovec iov;
  iov.iov_base = static_cast<uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
  iov.iov_len = array.ByteLength();
  // CMSG_SPACE(sizeof(int)), aligned as cmsghdr wants it.
  alignas(cmsghdr) unsigned char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_name = &to;
  msg.msg_namelen = to_len;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = family_ == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
  c->cmsg_type = family_ == AF_INET ? IP_TTL : IPV6_HOPLIMIT;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &hop_limit, sizeof(int));

  int64_t stamp = 0;
  ssize_t sent;
  do {
    stamp = MonotonicNs();
    sent = sendmsg(fd_, &msg, 0);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) {
    int err = errno;
    SystemError(env, err, "sendmsg", AddressText(to)).ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, static_cast<double>(stamp));
}

}  // namespace rawping
