#include "icmp_socket.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <linux/icmp.h>
// IFNAMSIZ comes from <linux/if.h> through <linux/icmp.h>; <net/if.h> would clash with it.
#include <netinet/icmp6.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "address_text.h"
#include "batch_layout.h"
#include "mono_clock.h"
#include "system_error.h"

namespace rawping {

namespace {

constexpr size_t kDefaultSlotBytes = 4096;
constexpr size_t kMaxBatchSlots = 64;
constexpr size_t kBatchSlotBudgetBytes = 1 << 20;  // receive slots never exceed 1 MiB in all
constexpr size_t kControlBytes = 256;
// At most this many packets are handed to JavaScript per wake-up, so a flood of ICMP cannot
// starve timers: the rest stays queued in the kernel and level-triggered polling comes back.
constexpr int kMaxFilterInstructions = 4096;

int OptionalInt(const Napi::CallbackInfo& info, size_t index, int fallback) {
  if (info.Length() > index && info[index].IsNumber()) return info[index].As<Napi::Number>().Int32Value();
  return fallback;
}

}  // namespace

Napi::Function IcmpSocket::Init(Napi::Env env) {
  return DefineClass(
      env, "IcmpSocket",
      {
          InstanceMethod<&IcmpSocket::Start>("start"),
          InstanceMethod<&IcmpSocket::Send>("send"),
          InstanceMethod<&IcmpSocket::SendBatch>("sendBatch"),
          InstanceMethod<&IcmpSocket::Close>("close"),
          InstanceMethod<&IcmpSocket::Ref>("ref"),
          InstanceMethod<&IcmpSocket::Unref>("unref"),
          InstanceMethod<&IcmpSocket::LocalAddress>("localAddress"),
          InstanceMethod<&IcmpSocket::SetTtl>("setTtl"),
          InstanceMethod<&IcmpSocket::SetTos>("setTos"),
          InstanceMethod<&IcmpSocket::SetBroadcast>("setBroadcast"),
          InstanceMethod<&IcmpSocket::Bind>("bind"),
          InstanceMethod<&IcmpSocket::BindDevice>("bindDevice"),
          InstanceMethod<&IcmpSocket::SetTypeFilter>("setTypeFilter"),
          InstanceMethod<&IcmpSocket::AttachFilter>("attachFilter"),
          InstanceMethod<&IcmpSocket::SetMaxPacketSize>("setMaxPacketSize"),
          InstanceMethod<&IcmpSocket::SetInheritable>("setInheritable"),
          InstanceAccessor<&IcmpSocket::GetFd>("fd"),
          InstanceAccessor<&IcmpSocket::GetClosed>("closed"),
      });
}

// new IcmpSocket(family: 4 | 6, kind: 'raw' | 'dgram', onBatch, onError, fd?: number)
// With fd, adopts a socket this process inherited (the CLI's re-exec without capabilities)
// after checking that it is the ICMP socket of that family and kind.
IcmpSocket::IcmpSocket(const Napi::CallbackInfo& info) : Napi::ObjectWrap<IcmpSocket>(info) {
  Napi::Env env = info.Env();
  env_ = env;
  if (info.Length() < 4 || !info[0].IsNumber() || !info[1].IsString() || !info[2].IsFunction() ||
      !info[3].IsFunction()) {
    Napi::TypeError::New(env, "IcmpSocket(family, kind, onBatch, onError)").ThrowAsJavaScriptException();
    return;
  }
  int family = info[0].As<Napi::Number>().Int32Value();
  std::string kind = info[1].As<Napi::String>().Utf8Value();
  if ((family != 4 && family != 6) || (kind != "raw" && kind != "dgram")) {
    Napi::TypeError::New(env, "family must be 4 or 6 and kind 'raw' or 'dgram'").ThrowAsJavaScriptException();
    return;
  }
  family_ = family == 4 ? AF_INET : AF_INET6;
  raw_ = kind == "raw";
  int protocol = family_ == AF_INET ? static_cast<int>(IPPROTO_ICMP) : static_cast<int>(IPPROTO_ICMPV6);
  int type = (raw_ ? SOCK_RAW : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC;

  if (info.Length() > 4 && info[4].IsNumber()) {
    int fd = info[4].As<Napi::Number>().Int32Value();
    int domain = -1, sock_type = -1, sock_protocol = -1;
    socklen_t len = sizeof(int);
    bool matches = fd >= 0 && getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) == 0 &&
                   (len = sizeof(int), getsockopt(fd, SOL_SOCKET, SO_TYPE, &sock_type, &len) == 0) &&
                   (len = sizeof(int), getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &sock_protocol, &len) == 0) &&
                   domain == family_ && sock_type == (raw_ ? SOCK_RAW : SOCK_DGRAM) && sock_protocol == protocol;
    if (!matches) {
      SystemError(env, EBADF, "socket", "inherited descriptor is not that ICMP socket").ThrowAsJavaScriptException();
      return;
    }
    fd_ = fd;
    fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
    fcntl(fd_, F_SETFD, FD_CLOEXEC);
  } else {
    fd_ = socket(family_, type, protocol);
  }
  if (fd_ < 0) {
    SystemError(env, errno, "socket").ThrowAsJavaScriptException();
    return;
  }

  // Options the receive path relies on. Failure here means a kernel we cannot measure on.
  int on = 1;
  if (setsockopt(fd_, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) < 0) {
    int err = errno;
    ::close(fd_);
    fd_ = -1;
    SystemError(env, err, "setsockopt").ThrowAsJavaScriptException();
    return;
  }
  if (family_ == AF_INET6) {
    setsockopt(fd_, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on));
    if (!raw_) setsockopt(fd_, IPPROTO_IPV6, IPV6_RECVERR, &on, sizeof(on));
  } else if (!raw_) {
    // Raw IPv4 sockets see the IP header (and its TTL) and receive ICMP errors as packets;
    // datagram sockets get neither, so they ask for TTL and the error queue instead.
    setsockopt(fd_, IPPROTO_IP, IP_RECVTTL, &on, sizeof(on));
    setsockopt(fd_, IPPROTO_IP, IP_RECVERR, &on, sizeof(on));
  }

  on_batch_ = Napi::Persistent(info[2].As<Napi::Function>());
  on_error_ = Napi::Persistent(info[3].As<Napi::Function>());
  AllocateSlots(kDefaultSlotBytes);

  napi_add_env_cleanup_hook(env, OnEnvCleanup, this);
  cleanup_hook_ = true;
}

IcmpSocket::~IcmpSocket() { CloseNow(); }

void IcmpSocket::OnEnvCleanup(void* arg) {
  IcmpSocket* self = static_cast<IcmpSocket*>(arg);
  self->cleanup_hook_ = false;
  self->CloseNow();
}

void IcmpSocket::CloseNow() {
  // OnEnvCleanup clears the flag first: a hook must not remove itself while it runs.
  if (cleanup_hook_) {
    napi_remove_env_cleanup_hook(env_, OnEnvCleanup, this);
    cleanup_hook_ = false;
  }
  if (closed_) return;
  closed_ = true;
  if (poll_ != nullptr) {
    // uv_close deregisters the fd at once; the handle's memory goes in the close callback,
    // which libuv may run after a worker thread has already unloaded this addon (its env
    // cleanup hooks run first). So the callback is libc's free, which is always mapped, and
    // the handle was allocated with malloc.
    uv_close(reinterpret_cast<uv_handle_t*>(poll_), reinterpret_cast<uv_close_cb>(&free));
    poll_ = nullptr;
  }
  staging_data_ptr_ = nullptr;
  staging_meta_ptr_ = nullptr;
  staging_data_cap_ = 0;
  staging_meta_cap_ = 0;
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

bool IcmpSocket::CheckOpen(Napi::Env env) {
  if (!closed_) return true;
  SystemError(env, EBADF, "socket", "closed").ThrowAsJavaScriptException();
  return false;
}

void IcmpSocket::AllocateSlots(size_t slot_bytes) {
  slot_bytes_ = slot_bytes;
  batch_slots_ = std::max<size_t>(1, std::min(kMaxBatchSlots, kBatchSlotBudgetBytes / slot_bytes));
  slot_data_.assign(slot_bytes_ * batch_slots_, 0);
  slot_control_.assign(kControlBytes * batch_slots_, 0);
  slot_names_.assign(batch_slots_, sockaddr_storage{});
  slot_iov_.assign(batch_slots_, iovec{});
  slot_msgs_.assign(batch_slots_, mmsghdr{});
  for (size_t i = 0; i < batch_slots_; i++) {
    slot_iov_[i].iov_base = slot_data_.data() + i * slot_bytes_;
    slot_iov_[i].iov_len = slot_bytes_;
    msghdr& hdr = slot_msgs_[i].msg_hdr;
    hdr.msg_name = &slot_names_[i];
    hdr.msg_iov = &slot_iov_[i];
    hdr.msg_iovlen = 1;
    hdr.msg_control = slot_control_.data() + i * kControlBytes;
  }
}

Napi::Value IcmpSocket::Start(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (poll_ != nullptr) return env.Undefined();  // already polling
  if (info.Length() >= 2 && info[0].IsTypedArray() && info[1].IsTypedArray()) {
    Napi::TypedArray data = info[0].As<Napi::TypedArray>();
    Napi::TypedArray meta = info[1].As<Napi::TypedArray>();
    if (data.TypedArrayType() != napi_uint8_array || meta.TypedArrayType() != napi_float64_array) {
      Napi::TypeError::New(env, "start(data: Uint8Array, meta: Float64Array)").ThrowAsJavaScriptException();
      return env.Undefined();
    }
    staging_data_ = Napi::Persistent(data.As<Napi::Uint8Array>());
    staging_meta_ = Napi::Persistent(meta.As<Napi::Float64Array>());
    staging_data_ptr_ = static_cast<uint8_t*>(data.ArrayBuffer().Data()) + data.ByteOffset();
    staging_data_cap_ = data.ByteLength();
    staging_meta_ptr_ = reinterpret_cast<double*>(static_cast<uint8_t*>(meta.ArrayBuffer().Data()) + meta.ByteOffset());
    staging_meta_cap_ = meta.ElementLength();
  }
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
    Napi::Error::New(env, "no event loop for this environment").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  poll_ = static_cast<uv_poll_t*>(malloc(sizeof(uv_poll_t)));
  if (poll_ == nullptr) {
    SystemError(env, ENOMEM, "uv_poll_init").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  int rc = uv_poll_init(loop, poll_, fd_);
  if (rc != 0) {
    free(poll_);
    poll_ = nullptr;
    SystemError(env, -rc, "uv_poll_init").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  poll_->data = this;
  rc = uv_poll_start(poll_, UV_READABLE, OnPoll);
  if (rc != 0) {
    // An initialised handle must be closed, not just freed; poll_ stays null so start() can retry.
    uv_close(reinterpret_cast<uv_handle_t*>(poll_), reinterpret_cast<uv_close_cb>(&free));
    poll_ = nullptr;
    SystemError(env, -rc, "uv_poll_start").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!referenced_) uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
  if (self_.IsEmpty()) self_ = Napi::Persistent(info.This().As<Napi::Object>());
  return env.Undefined();
}

// libuv stops a poll handle and reports UV_EBADF when the kernel signals POLLERR, which a
// datagram ICMP socket with IP_RECVERR does whenever an ICMP error is queued. That is not a
// broken descriptor here: drain the error queue and start polling again.
void IcmpSocket::OnPoll(uv_poll_t* handle, int status, int /*events*/) {
  IcmpSocket* self = static_cast<IcmpSocket*>(handle->data);
  if (self == nullptr || self->closed_) return;
  self->Drain();
  if (status < 0 && !self->closed_ && self->poll_ != nullptr) {
    int rc = uv_poll_start(self->poll_, UV_READABLE, OnPoll);
    if (rc != 0) self->ReportError(-rc, "uv_poll_start");
  }
}

// Reads what is queued and hands it to JS, then reads again: the JS call often sends the next
// probe (a flood sends on each reply), and on loopback its reply is queued before sendto
// returns. Reading it here saves the trip through the event loop (epoll_wait, then this
// callback again) for every probe. Bounded: at most kMaxPacketsPerWake packets per wake-up,
// so timers and signals wait for one such bout at worst.
void IcmpSocket::Drain() {
  size_t budget = kMaxPacketsPerWake;
  while (budget > 0 && !closed_) {
    batch_data_.clear();
    batch_meta_.clear();
    size_t taken = raw_ ? 0 : DrainErrorQueue(budget);
    taken += DrainNormal(budget - taken);
    if (taken == 0) break;
    budget -= taken;
    if (!batch_meta_.empty()) DeliverBatch();
  }
}

size_t IcmpSocket::DrainNormal(size_t budget) {
  size_t taken = 0;
  int soft_errors = 0;
  while (taken < budget && !closed_) {
    unsigned int want = static_cast<unsigned int>(std::min(batch_slots_, budget - taken));
    for (unsigned int i = 0; i < want; i++) {
      slot_msgs_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
      slot_msgs_[i].msg_hdr.msg_controllen = kControlBytes;
      slot_msgs_[i].msg_hdr.msg_flags = 0;
      slot_msgs_[i].msg_len = 0;
    }
    int n = recvmmsg(fd_, slot_msgs_.data(), want, MSG_DONTWAIT | MSG_TRUNC, nullptr);
    if (n < 0) {
      int err = errno;
      if (err == EINTR) continue;
      if (err == EAGAIN || err == EWOULDBLOCK) break;
      // A datagram socket reports a queued ICMP error once as the result of a receive; the
      // detail is in the error queue, so read that and go on. Anything else is reported.
      if (!raw_ && soft_errors++ < 4) {
        taken += DrainErrorQueue(budget - taken);
        continue;
      }
      ReportError(err, "recvmmsg");
      break;
    }
    int64_t mono_now = 0;
    int64_t offset = RealtimeOffsetNs(&mono_now);
    for (int i = 0; i < n; i++) {
      AppendPacket(slot_msgs_[i].msg_hdr, slot_msgs_[i].msg_len, false, offset, mono_now);
    }
    taken += static_cast<size_t>(n);
    if (static_cast<unsigned int>(n) < want) break;  // the queue is empty for now
  }
  return taken;
}

size_t IcmpSocket::DrainErrorQueue(size_t budget) {
  size_t taken = 0;
  msghdr& hdr = slot_msgs_[0].msg_hdr;
  while (taken < budget && !closed_) {
    hdr.msg_namelen = sizeof(sockaddr_storage);
    hdr.msg_controllen = kControlBytes;
    hdr.msg_flags = 0;
    ssize_t n = recvmsg(fd_, &hdr, MSG_ERRQUEUE | MSG_DONTWAIT | MSG_TRUNC);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;  // EAGAIN: the error queue is empty
    }
    int64_t mono_now = 0;
    int64_t offset = RealtimeOffsetNs(&mono_now);
    AppendPacket(hdr, static_cast<size_t>(n), true, offset, mono_now);
    taken++;
  }
  return taken;
}

namespace {

// Writes an address into a 16-byte field of the batch (IPv4 in the first four bytes) and
// returns its scope id.
uint32_t CopyAddress(const sockaddr* sa, uint8_t* out16) {
  memset(out16, 0, 16);
  if (sa->sa_family == AF_INET) {
    memcpy(out16, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, 4);
    return 0;
  }
  if (sa->sa_family == AF_INET6) {
    const sockaddr_in6* sin6 = reinterpret_cast<const sockaddr_in6*>(sa);
    memcpy(out16, &sin6->sin6_addr, 16);
    return sin6->sin6_scope_id;
  }
  return 0;
}

}  // namespace

void IcmpSocket::AppendPacket(const msghdr& msg, size_t received, bool from_error_queue,
                              int64_t rt_offset, int64_t mono_now) {
  size_t stored = std::min(received, slot_bytes_);
  double meta[kMetaStride];
  std::fill(meta, meta + kMetaStride, 0.0);
  meta[kMetaTtl] = -1;
  meta[kMetaOffenderOffset] = -1;

  int64_t recv_ns = mono_now;
  const sock_extended_err* ee = nullptr;
  for (cmsghdr* c = CMSG_FIRSTHDR(const_cast<msghdr*>(&msg)); c != nullptr;
       c = CMSG_NXTHDR(const_cast<msghdr*>(&msg), c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
        c->cmsg_len >= CMSG_LEN(sizeof(timespec))) {
      timespec ts;
      memcpy(&ts, CMSG_DATA(c), sizeof(ts));
      int64_t stamped = TimespecNs(ts) - rt_offset;
      // A stamp "after" now can only come from a wall-clock step; never let it exceed now.
      recv_ns = std::min(stamped, mono_now);
    } else if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
               (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) {
      int ttl = 0;
      memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
      meta[kMetaTtl] = ttl;
    } else if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
               (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
      if (c->cmsg_len >= CMSG_LEN(sizeof(sock_extended_err))) {
        ee = reinterpret_cast<const sock_extended_err*>(CMSG_DATA(c));
      }
    }
  }

  size_t base = batch_data_.size();
  size_t extra = 16 + (ee != nullptr ? 16 : 0);
  batch_data_.resize(base + extra + stored);
  uint8_t* out = batch_data_.data() + base;

  uint32_t scope = 0;
  if (msg.msg_namelen > 0) scope = CopyAddress(static_cast<const sockaddr*>(msg.msg_name), out);
  else memset(out, 0, 16);
  meta[kMetaAddrOffset] = static_cast<double>(base);
  meta[kMetaScopeId] = scope;

  size_t data_at = base + 16;
  if (ee != nullptr) {
    meta[kMetaErrno] = ee->ee_errno;
    meta[kMetaOrigin] = ee->ee_origin;
    meta[kMetaType] = ee->ee_type;
    meta[kMetaCode] = ee->ee_code;
    meta[kMetaInfo] = ee->ee_info;
    const sockaddr* offender = SO_EE_OFFENDER(ee);
    // The offender address sits in the control buffer right after the extended error; trust
    // it only when the control message is long enough to hold it.
    if (offender->sa_family == AF_INET || offender->sa_family == AF_INET6) {
      CopyAddress(offender, out + 16);
      meta[kMetaOffenderOffset] = static_cast<double>(base + 16);
    } else {
      memset(out + 16, 0, 16);
    }
    data_at += 16;
  }

  memcpy(batch_data_.data() + data_at, msg.msg_iov[0].iov_base, stored);
  meta[kMetaDataOffset] = static_cast<double>(data_at);
  meta[kMetaLength] = static_cast<double>(stored);
  meta[kMetaWireLength] = static_cast<double>(received);
  int flags = 0;
  if (received > stored || (msg.msg_flags & MSG_TRUNC)) flags |= kFlagTruncated;
  if (from_error_queue) flags |= kFlagErrorQueue;
  meta[kMetaFlags] = flags;
  meta[kMetaRecvNs] = static_cast<double>(recv_ns);
  batch_meta_.insert(batch_meta_.end(), meta, meta + kMetaStride);
}

// Calls into JavaScript from a libuv callback use the plain C API and check every status:
// while the environment shuts down (process exit, worker termination) libuv may still run
// this poll callback, JavaScript can no longer run, and node-addon-api's wrappers would turn
// the refusal into a fatal error. Then the batch is dropped quietly.
namespace {

void CallBack(napi_env env, napi_ref self_ref, napi_ref fn_ref, size_t argc, const napi_value* argv) {
  napi_value fn = nullptr;
  napi_value self = nullptr;
  if (napi_get_reference_value(env, fn_ref, &fn) != napi_ok || fn == nullptr) return;
  if (self_ref != nullptr) napi_get_reference_value(env, self_ref, &self);
  if (self == nullptr && napi_get_undefined(env, &self) != napi_ok) return;
  napi_value result;
  napi_status status = napi_make_callback(env, nullptr, self, fn, argc, argv, &result);
  if (status == napi_ok) return;
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
    napi_value error;
    if (napi_get_and_clear_last_exception(env, &error) == napi_ok && status == napi_pending_exception) {
      // The callback threw while JavaScript could run: report it as uncaught, as Node does.
      napi_fatal_exception(env, error);
    }
  }
}

}  // namespace

void IcmpSocket::DeliverBatch() {
  napi_env env = env_;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value data = nullptr;
  napi_value meta = nullptr;
  napi_value count = nullptr;
  bool ok;
  if (!staging_data_.IsEmpty() && batch_data_.size() <= staging_data_cap_ && batch_meta_.size() <= staging_meta_cap_) {
    memcpy(staging_data_ptr_, batch_data_.data(), batch_data_.size());
    memcpy(staging_meta_ptr_, batch_meta_.data(), batch_meta_.size() * sizeof(double));
    ok = napi_get_reference_value(env, staging_data_, &data) == napi_ok &&
         napi_get_reference_value(env, staging_meta_, &meta) == napi_ok;
  } else {
    // No staging arrays, or a batch of very large datagrams: fresh arrays for this one.
    void* copy = nullptr;
    void* meta_bytes = nullptr;
    napi_value meta_buffer;
    ok = napi_create_buffer_copy(env, batch_data_.size(), batch_data_.data(), &copy, &data) == napi_ok &&
         napi_create_arraybuffer(env, batch_meta_.size() * sizeof(double), &meta_bytes, &meta_buffer) == napi_ok;
    if (ok) {
      memcpy(meta_bytes, batch_meta_.data(), batch_meta_.size() * sizeof(double));
      ok = napi_create_typedarray(env, napi_float64_array, batch_meta_.size(), meta_buffer, 0, &meta) == napi_ok;
    }
  }
  size_t n = batch_meta_.size() / kMetaStride;
  if (ok && napi_create_double(env, static_cast<double>(n), &count) == napi_ok) {
    napi_value argv[3] = {data, meta, count};
    CallBack(env, self_.IsEmpty() ? nullptr : static_cast<napi_ref>(self_), static_cast<napi_ref>(on_batch_), 3, argv);
  }
  napi_close_handle_scope(env, scope);
}

void IcmpSocket::ReportError(int err, const char* syscall) {
  napi_env env = env_;
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value error;
  if (MakeSystemError(env, err, syscall, &error)) {
    napi_value argv[1] = {error};
    CallBack(env, self_.IsEmpty() ? nullptr : static_cast<napi_ref>(self_), static_cast<napi_ref>(on_error_), 1, argv);
  }
  napi_close_handle_scope(env, scope);
}

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

Napi::Value IcmpSocket::Close(const Napi::CallbackInfo& info) {
  CloseNow();
  if (!self_.IsEmpty()) self_.Reset();
  if (!staging_data_.IsEmpty()) staging_data_.Reset();
  if (!staging_meta_.IsEmpty()) staging_meta_.Reset();
  return info.Env().Undefined();
}

Napi::Value IcmpSocket::Ref(const Napi::CallbackInfo& info) {
  referenced_ = true;
  if (poll_ != nullptr) uv_ref(reinterpret_cast<uv_handle_t*>(poll_));
  return info.Env().Undefined();
}

Napi::Value IcmpSocket::Unref(const Napi::CallbackInfo& info) {
  referenced_ = false;
  if (poll_ != nullptr) uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
  return info.Env().Undefined();
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

namespace {

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

}  // namespace

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

// bind(address: string, scopeId?: number)
Napi::Value IcmpSocket::Bind(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  sockaddr_storage addr;
  socklen_t len = 0;
  if (info.Length() < 1 ||
      !ParseAddress(env, info[0], static_cast<uint32_t>(OptionalInt(info, 1, 0)), &addr, &len, "bind")) {
    return env.Undefined();
  }
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

// setMaxPacketSize(bytes): the largest datagram to receive whole; larger ones arrive flagged
// truncated. The receive slots are sized from this, never from anything a peer sends.
Napi::Value IcmpSocket::SetMaxPacketSize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  int bytes = OptionalInt(info, 0, -1);
  if (bytes < 1 || bytes > 65535 + 60) {
    Napi::RangeError::New(env, "setMaxPacketSize: 1..65595 bytes").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  size_t want = std::max<size_t>(kDefaultSlotBytes, static_cast<size_t>(bytes));
  if (want != slot_bytes_) AllocateSlots(want);
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

Napi::Value IcmpSocket::GetFd(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), fd_);
}

Napi::Value IcmpSocket::GetClosed(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), closed_);
}

}  // namespace rawping
