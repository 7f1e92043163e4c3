// IcmpSocket's receive path: polling on the environment's own loop, draining the socket (and a
// datagram socket's error queue) with recvmmsg into slots allocated once, and assembling each
// batch for JavaScript in the layout of batch_layout.h. Delivery is icmp_socket_deliver.cc.
#include "icmp_socket.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>

#include "batch_layout.h"
#include "call_args.h"
#include "control_message.h"
#include "mono_clock.h"
#include "system_error.h"

namespace rawping {

namespace {

constexpr size_t kMaxBatchSlots = 64;
constexpr size_t kBatchSlotBudgetBytes = 1 << 20;  // receive slots never exceed 1 MiB in all
// A datagram ICMP socket's receive returns the bytes it copied, not the datagram's length:
// unlike raw (and UDP) sockets it ignores MSG_TRUNC in the call's flags. So each slot of a
// datagram socket has a second buffer behind it, one overflow area that all slots share and
// nothing reads, large enough for any ICMP message; the kernel copies the whole datagram and
// returns its real length, and only the slot's part is kept.
constexpr size_t kOverflowBytes = 65536;

}  // namespace

void IcmpSocket::AllocateSlots(size_t slot_bytes) {
  slot_bytes_ = slot_bytes;
  batch_slots_ = std::max<size_t>(1, std::min(kMaxBatchSlots, kBatchSlotBudgetBytes / slot_bytes));
  const size_t overflow = raw_ ? 0 : kOverflowBytes;
  const size_t iov_per_slot = raw_ ? 1 : 2;
  slot_data_.assign(slot_bytes_ * batch_slots_ + overflow, 0);
  slot_control_.assign(kControlBytes * batch_slots_, 0);
  slot_names_.assign(batch_slots_, sockaddr_storage{});
  slot_iov_.assign(batch_slots_ * iov_per_slot, iovec{});
  slot_msgs_.assign(batch_slots_, mmsghdr{});
  for (size_t i = 0; i < batch_slots_; i++) {
    iovec* iov = &slot_iov_[i * iov_per_slot];
    iov[0].iov_base = slot_data_.data() + i * slot_bytes_;
    iov[0].iov_len = slot_bytes_;
    if (overflow > 0) {
      iov[1].iov_base = slot_data_.data() + slot_bytes_ * batch_slots_;
      iov[1].iov_len = overflow;
    }
    msghdr& hdr = slot_msgs_[i].msg_hdr;
    hdr.msg_name = &slot_names_[i];
    hdr.msg_iov = iov;
    hdr.msg_iovlen = iov_per_slot;
    hdr.msg_control = slot_control_.data() + i * kControlBytes;
  }
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
  // The receive thread owns the slots while it runs (icmp_socket_receiver.cc).
  if (want != slot_bytes_ && receiver_running_) StopReceiver(true);
  if (want != slot_bytes_) AllocateSlots(want);
  return env.Undefined();
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
  // JavaScript may ask for a drain (drain()) from inside a batch it was given: the drain in
  // progress reads on once it returns.
  if (draining_) return;
  draining_ = true;
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
  draining_ = false;
}

// One recvmmsg into the first `want` slots, their lengths reset first (the kernel shortens
// them to what it wrote): the datagrams read, or -1 with errno set. Never blocks.
int IcmpSocket::ReceiveIntoSlots(unsigned int want) {
  for (unsigned int i = 0; i < want; i++) {
    slot_msgs_[i].msg_hdr.msg_namelen = sizeof(sockaddr_storage);
    slot_msgs_[i].msg_hdr.msg_controllen = kControlBytes;
    slot_msgs_[i].msg_hdr.msg_flags = 0;
    slot_msgs_[i].msg_len = 0;
  }
  return recvmmsg(fd_, slot_msgs_.data(), want, MSG_DONTWAIT | MSG_TRUNC, nullptr);
}

size_t IcmpSocket::DrainNormal(size_t budget) {
  size_t taken = 0;
  int soft_errors = 0;
  while (taken < budget && !closed_) {
    unsigned int want = static_cast<unsigned int>(std::min(batch_slots_, budget - taken));
    int n = ReceiveIntoSlots(want);
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
      NoteDropCounter(slot_msgs_[i].msg_hdr);
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

// Writes an address of `len` bytes into a 16-byte field of the batch (IPv4 in the first four
// bytes) and returns its scope id; one too short for its family is left as zeros.
uint32_t CopyAddress(const sockaddr* sa, size_t len, uint8_t* out16) {
  memset(out16, 0, 16);
  if (len < sizeof(sa_family_t)) return 0;
  if (sa->sa_family == AF_INET && len >= sizeof(sockaddr_in)) {
    memcpy(out16, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, 4);
    return 0;
  }
  if (sa->sa_family == AF_INET6 && len >= sizeof(sockaddr_in6)) {
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
  const sockaddr* offender = nullptr;
  // Every control message is read only as far as ControlHolds says it lies within what the
  // kernel wrote (control_message.h).
  for (cmsghdr* c = CMSG_FIRSTHDR(const_cast<msghdr*>(&msg)); c != nullptr;
       c = CMSG_NXTHDR(const_cast<msghdr*>(&msg), c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
        ControlHolds(msg, c, sizeof(timespec))) {
      timespec ts;
      memcpy(&ts, CMSG_DATA(c), sizeof(ts));
      int64_t stamped = TimespecNs(ts) - rt_offset;
      // A stamp "after" now can only come from a wall-clock step; never let it exceed now.
      recv_ns = std::min(stamped, mono_now);
    } else if (((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
                (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) &&
               ControlHolds(msg, c, sizeof(int))) {
      int ttl = 0;
      memcpy(&ttl, CMSG_DATA(c), sizeof(ttl));
      meta[kMetaTtl] = ttl;
    } else if (((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
                (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) &&
               ControlHolds(msg, c, sizeof(sock_extended_err))) {
      ee = reinterpret_cast<const sock_extended_err*>(CMSG_DATA(c));
      // The offender address follows the extended error in the same control message; it is
      // taken only when the message holds all of it (and it is IPv4 or IPv6, not the
      // AF_UNSPEC of a local error): ErrorOffender checks both against cmsg_len.
      offender = ErrorOffender(msg, c);
    }
  }

  size_t base = batch_data_.size();
  size_t extra = 16 + (ee != nullptr ? 16 : 0);
  batch_data_.resize(base + extra + stored);
  uint8_t* out = batch_data_.data() + base;

  uint32_t scope = CopyAddress(static_cast<const sockaddr*>(msg.msg_name), msg.msg_namelen, out);
  meta[kMetaAddrOffset] = static_cast<double>(base);
  meta[kMetaScopeId] = scope;

  size_t data_at = base + 16;
  if (ee != nullptr) {
    meta[kMetaErrno] = ee->ee_errno;
    meta[kMetaOrigin] = ee->ee_origin;
    meta[kMetaType] = ee->ee_type;
    meta[kMetaCode] = ee->ee_code;
    meta[kMetaInfo] = ee->ee_info;
    if (offender != nullptr) {
      // As long as ErrorOffender found the message to hold for this family.
      CopyAddress(offender, offender->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6), out + 16);
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

// A record without a datagram (a send's report, `flags` says which): an empty address and no
// bytes, so every offset stays inside the batch. Returns it, for the caller's fields; valid
// until the next record is added. Under mu_ while the receive thread runs.
double* IcmpSocket::AppendReport(int flags) {
  size_t base = batch_data_.size();
  batch_data_.resize(base + 16, 0);
  size_t at = batch_meta_.size();
  batch_meta_.resize(at + kMetaStride, 0.0);
  double* record = batch_meta_.data() + at;
  record[kMetaDataOffset] = static_cast<double>(base + 16);
  record[kMetaAddrOffset] = static_cast<double>(base);
  record[kMetaTtl] = -1;
  record[kMetaOffenderOffset] = -1;
  record[kMetaFlags] = flags;
  return record;
}

}  // namespace rawping
