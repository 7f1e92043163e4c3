// IcmpSocket's receive capacity: the size of the kernel's receive queue (SO_RCVBUF, or
// SO_RCVBUFFORCE past net.core.rmem_max where the process may), and the kernel's count of the
// datagrams it discarded at this socket because that queue was full (SO_RXQ_OVFL on each
// received datagram, SO_MEMINFO on demand). How large a queue to ask for, and what a drop
// means, is the TypeScript side's decision.
#include <errno.h>
#include <linux/sock_diag.h>
#include <string.h>

#include "icmp_socket.h"
#include "system_error.h"

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

namespace rawping {

namespace {

int ReadReceiveBuffer(int fd) {
  int size = 0;
  socklen_t len = sizeof(size);
  if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, &len) < 0) return -1;
  return size;
}

}  // namespace

// Asks the kernel to put the drop counter on every datagram it queues from now on. Best effort:
// without it the counter can still be read with kernelDrops().
void IcmpSocket::EnableDropCounter() {
  int on = 1;
  setsockopt(fd_, SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on));
}

// The counter as the kernel stamped it on a datagram when it queued it: the drops before that
// moment. A datagram queued before any drop carries none.
void IcmpSocket::NoteDropCounter(const msghdr& msg) {
  for (cmsghdr* c = CMSG_FIRSTHDR(const_cast<msghdr*>(&msg)); c != nullptr;
       c = CMSG_NXTHDR(const_cast<msghdr*>(&msg), c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL && c->cmsg_len >= CMSG_LEN(sizeof(uint32_t))) {
      uint32_t drops = 0;
      memcpy(&drops, CMSG_DATA(c), sizeof(drops));
      // A 32-bit counter that wraps: the latest datagram's value is the newest.
      drop_counter_.store(drops, std::memory_order_relaxed);
    }
  }
}

// setReceiveBuffer(bytes: number): number
// Sets the receive queue's limit to `bytes` as setsockopt takes it (the kernel doubles it for
// its own bookkeeping) with SO_RCVBUFFORCE, which may exceed net.core.rmem_max but needs
// CAP_NET_ADMIN; refused, with SO_RCVBUF, which the kernel caps at rmem_max. Returns the size
// the kernel then reports (getsockopt SO_RCVBUF: the doubled value).
Napi::Value IcmpSocket::SetReceiveBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    Napi::TypeError::New(env, "setReceiveBuffer(bytes: number)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  double wanted = info[0].As<Napi::Number>().DoubleValue();
  if (!(wanted >= 1 && wanted <= 1073741823)) {
    Napi::RangeError::New(env, "setReceiveBuffer: 1..1073741823 bytes").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int value = static_cast<int>(wanted);
  if (setsockopt(fd_, SOL_SOCKET, SO_RCVBUFFORCE, &value, sizeof(value)) < 0) {
    if (errno != EPERM || setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &value, sizeof(value)) < 0) {
      SystemError(env, errno, "setsockopt", "SO_RCVBUF").ThrowAsJavaScriptException();
      return env.Undefined();
    }
  }
  int size = ReadReceiveBuffer(fd_);
  if (size < 0) {
    SystemError(env, errno, "getsockopt", "SO_RCVBUF").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, size);
}

// receiveBuffer(): number, the receive queue's limit as getsockopt SO_RCVBUF reports it.
Napi::Value IcmpSocket::ReceiveBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  int size = ReadReceiveBuffer(fd_);
  if (size < 0) {
    SystemError(env, errno, "getsockopt", "SO_RCVBUF").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  return Napi::Number::New(env, size);
}

// kernelDrops(): number, the kernel's count of datagrams discarded at this socket now
// (SO_MEMINFO's SK_MEMINFO_DROPS, 32 bits, wrapping). A datagram socket never stamps it on
// what it receives, and a raw one only on datagrams queued after a drop, so this is how a
// drop at the end of a burst is seen. Where SO_MEMINFO is missing: the last stamped value.
Napi::Value IcmpSocket::KernelDrops(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  uint32_t meminfo[SK_MEMINFO_VARS];
  socklen_t len = sizeof(meminfo);
  if (getsockopt(fd_, SOL_SOCKET, SO_MEMINFO, meminfo, &len) == 0 && len > SK_MEMINFO_DROPS * sizeof(uint32_t)) {
    drop_counter_.store(meminfo[SK_MEMINFO_DROPS], std::memory_order_relaxed);
  }
  return Napi::Number::New(env, static_cast<double>(drop_counter_.load(std::memory_order_relaxed)));
}

}  // namespace rawping
