// IcmpSocket's receive thread: datagrams JavaScript encoded and queued (queueSends) are sent one
// per datagram received, by a thread of the addon that reads the socket, so that a flood's next
// probe leaves as soon as a reply is read and the kernel's round trip overlaps the JavaScript
// that counts the last one, which takes the replies in batches on the loop thread. The rule is
// generic: the bytes go as given, to the one address given, in order, one per datagram read
// from the socket's queue (or at once, when JavaScript says one is owed), never after the time
// given; what they are is not looked at. Each send is reported in the batch, in the record of
// the datagram that let it go (kMetaSentAfter), or in a record of its own (kFlagSendReport). A
// datagram received while nothing is queued is owed one (kFlagSendOwed): it goes as soon as
// JavaScript queues one, so the rule holds however far JavaScript is behind. JavaScript, which
// alone knows which datagrams were the ones it wanted a send for, may withhold the next sends
// (withholdSends: the next datagrams get none, each marked kFlagSendWithheld).
//
// The same thread sends batches for JavaScript (icmp_socket_thread_batches.cc); then, until
// queueSends is called, a datagram read is only handed over.
//
// Threads: only the loop thread starts and stops the receive thread. While it runs, it alone
// reads the socket (the poll handle is stopped) and owns the receive slots; mu_ guards the
// queue and the batch being assembled, which the loop thread takes (swapped out under mu_) when
// the thread signals it (uv_async_send, the only libuv call that is safe from another thread).
// The thread never calls into N-API. It stops before the socket closes, before the receive
// slots change size, and when the environment goes away.
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>

#include "batch_layout.h"
#include "call_args.h"
#include "icmp_socket.h"
#include "mono_clock.h"
#include "system_error.h"

namespace rawping {

namespace {

// The thread stops reading while this many records wait for the loop thread (a loop that does
// not keep up must not make the thread's memory grow without bound).
constexpr size_t kBacklogRecords = 8192;
// recvmmsg rounds per wake-up of the thread before it lets the loop thread know.
constexpr int kRoundsPerWake = 64;
// Datagrams per wake-up, at most, before it lets the loop thread know.
constexpr size_t kRecordsPerWake = 256;


}  // namespace

// queueSends(packets: Uint8Array, packetLength: number, count: number, address: string,
//            scopeId: number, notAfterNs: number, kick: number): void
// Adds `count` datagrams of `packetLength` bytes laid end to end in `packets` (copied now) to
// the queue, to go to `address` one per datagram received, in order, until CLOCK_MONOTONIC
// passes `notAfterNs` (0: no such time); `kick` of them go at once, and one for each datagram
// received while nothing was queued. Starts the receive thread.
Napi::Value IcmpSocket::QueueSends(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  if (info.Length() < 7 || !info[0].IsTypedArray() || !info[1].IsNumber() || !info[2].IsNumber() || !info[5].IsNumber() ||
      !info[6].IsNumber()) {
    Napi::TypeError::New(env, "queueSends(packets, packetLength, count, address, scopeId, notAfterNs, kick)").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  Napi::TypedArray array = info[0].As<Napi::TypedArray>();
  int64_t length = info[1].As<Napi::Number>().Int64Value();
  int64_t count = info[2].As<Napi::Number>().Int64Value();
  int64_t kick = info[6].As<Napi::Number>().Int64Value();
  if (length < 1 || length > 65535 || count < 0 || count > 65536 || kick < 0 ||
      static_cast<uint64_t>(count) * static_cast<uint64_t>(length) > array.ByteLength()) {
    Napi::RangeError::New(env, "queueSends: packets and their count do not match").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  sockaddr_storage to;
  socklen_t to_len = 0;
  if (!ParseAddress(env, info[3], static_cast<uint32_t>(OptionalInt(info, 4, 0)), &to, &to_len, "sendto")) return env.Undefined();
  const uint8_t* bytes = static_cast<const uint8_t*>(array.ArrayBuffer().Data()) + array.ByteOffset();
  {
    std::lock_guard<std::mutex> lock(mu_);
    // What went is dropped; what is left keeps its place ahead of what comes now. A new length
    // (never, from rawping: one session's probes are one size) starts the queue over.
    if (queued_count_ > 0 && queued_length_ != static_cast<size_t>(length)) queued_count_ = queued_next_ = 0;
    queued_.erase(queued_.begin(), queued_.begin() + static_cast<std::ptrdiff_t>(queued_next_ * queued_length_));
    queued_.resize((queued_count_ - queued_next_) * queued_length_);
    queued_.insert(queued_.end(), bytes, bytes + count * length);
    queued_count_ = queued_count_ - queued_next_ + static_cast<size_t>(count);
    queued_next_ = 0;
    queued_length_ = static_cast<size_t>(length);
    queued_to_ = to;
    queued_to_len_ = to_len;
    queued_not_after_ = info[5].As<Napi::Number>().Int64Value();
    clocking_ = true;
    kicks_ += static_cast<size_t>(kick) + owed_;
    owed_ = 0;
    kick = static_cast<int64_t>(kicks_);
  }
  if (!receiver_running_) {
    if (!StartReceiver(env)) return env.Undefined();
  } else if (kick > 0) {
    uint64_t one = 1;
    ssize_t ignored = write(receiver_wake_fd_, &one, sizeof(one));
    (void)ignored;
  }
  return env.Undefined();
}

// withholdSends(n: number): void
// The next `n` datagrams received get no send (each marked so in the batch).
Napi::Value IcmpSocket::WithholdSends(const Napi::CallbackInfo& info) {
  int n = OptionalInt(info, 0, 0);
  if (n > 0) {
    std::lock_guard<std::mutex> lock(mu_);
    withheld_ += static_cast<size_t>(n);
  }
  return info.Env().Undefined();
}

// unqueueSends(): number
// Drops what is still queued and stops the receive thread, which hands over what it read. The
// reports of datagrams it sent reach JavaScript before this returns, unless it is called from
// inside a batch: then right after that batch, and the number returned is how many are to come.
Napi::Value IcmpSocket::UnqueueSends(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(StopReceiver(true)));
}

bool IcmpSocket::StartReceiver(Napi::Env env) {
  if (receiver_running_ || closed_) return true;
  uv_loop_t* loop = nullptr;
  if (poll_ == nullptr || napi_get_uv_event_loop(env, &loop) != napi_ok || loop == nullptr) {
    Napi::Error::New(env, "queueSends: the socket is not listening").ThrowAsJavaScriptException();
    return false;
  }
  int wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake < 0) {
    SystemError(env, errno, "eventfd").ThrowAsJavaScriptException();
    return false;
  }
  // Freed by libc's free as the poll handle is, for the same reason (icmp_socket.cc).
  uv_async_t* async = static_cast<uv_async_t*>(malloc(sizeof(uv_async_t)));
  int rc = async == nullptr ? UV_ENOMEM : uv_async_init(loop, async, OnReceiverAsync);
  if (rc != 0) {
    free(async);
    ::close(wake);
    SystemError(env, -rc, "uv_async_init").ThrowAsJavaScriptException();
    return false;
  }
  async->data = this;
  if (!referenced_) uv_unref(reinterpret_cast<uv_handle_t*>(async));
  {
    std::lock_guard<std::mutex> lock(mu_);
    receiver_stop_ = false;
    receiver_exited_ = false;
    receiver_error_ = 0;
  }
  receiver_wake_fd_ = wake;
  receiver_async_ = async;
  uv_poll_stop(poll_);
  // The thread takes no signals: they are the loop thread's to handle.
  sigset_t all, previous;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &previous);
  rc = pthread_create(&receiver_, nullptr, ReceiverThread, this);
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  if (rc != 0) {
    receiver_async_ = nullptr;
    receiver_wake_fd_ = -1;
    uv_close(reinterpret_cast<uv_handle_t*>(async), reinterpret_cast<uv_close_cb>(&free));
    ::close(wake);
    uv_poll_start(poll_, UV_READABLE, OnPoll);
    SystemError(env, rc, "pthread_create").ThrowAsJavaScriptException();
    return false;
  }
  receiver_running_ = true;
  return true;
}

// Stops the thread (if it runs) and drops the queue. With `deliver`, what the thread read goes
// to JavaScript now, or right after the batch being handed over; returns how many send
// reports are still to come that way. Without (closing), it is dropped.
size_t IcmpSocket::StopReceiver(bool deliver) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queued_.clear();
    queued_count_ = queued_next_ = 0;
    kicks_ = 0;
    owed_ = 0;
    withheld_ = 0;
    clocking_ = false;
    // Batches not sent yet go before the thread stops, and are reported, unless the socket closes.
    if (!deliver) thread_batches_.clear();
    receiver_stop_ = true;
  }
  if (!receiver_running_) return 0;
  taken_.notify_all();
  uint64_t one = 1;
  ssize_t ignored = write(receiver_wake_fd_, &one, sizeof(one));
  (void)ignored;
  pthread_join(receiver_, nullptr);
  receiver_running_ = false;
  ::close(receiver_wake_fd_);
  receiver_wake_fd_ = -1;
  // Its callback may be running now (this is called from JavaScript inside it): closing there
  // is allowed, and the memory goes after.
  uv_close(reinterpret_cast<uv_handle_t*>(receiver_async_), reinterpret_cast<uv_close_cb>(&free));
  receiver_async_ = nullptr;
  if (!closed_ && poll_ != nullptr) uv_poll_start(poll_, UV_READABLE, OnPoll);
  if (!deliver || closed_) {
    batch_data_.clear();
    batch_meta_.clear();
    return 0;
  }
  if (!delivering_) {
    TakeAndDeliver();
    return 0;
  }
  // Inside a batch: what is left goes right after it (OnReceiverAsync, or Drain, looks).
  size_t reports = 0;
  for (size_t at = 0; at + kMetaStride <= batch_meta_.size(); at += kMetaStride) {
    if (batch_meta_[at + kMetaSentAfter] != 0) reports++;
  }
  return reports;
}

void* IcmpSocket::ReceiverThread(void* self) {
  // Named, so that top, perf and /proc/<pid>/task tell it from node's own threads.
  pthread_setname_np(pthread_self(), "rawping-recv");
  static_cast<IcmpSocket*>(self)->ReceiverLoop();
  return nullptr;
}

void IcmpSocket::ReceiverLoop() {
  pollfd fds[2] = {{fd_, POLLIN, 0}, {receiver_wake_fd_, POLLIN, 0}};
  std::vector<OutgoingBatch> batches;
  for (;;) {
    bool signal = false;
    bool stop = false;
    bool more = false;
    size_t kicks = 0;
    {
      std::unique_lock<std::mutex> lock(mu_);
      taken_.wait(lock, [this] { return receiver_stop_ || batch_meta_.size() < kBacklogRecords * kMetaStride; });
      stop = receiver_stop_;
      // One batch for JavaScript per round, then what came meanwhile is read: the replies to
      // one batch are counted while the next goes, and none waits behind all of a sweep's.
      if (!thread_batches_.empty()) {
        batches.push_back(std::move(thread_batches_.front()));
        thread_batches_.erase(thread_batches_.begin());
      }
      more = !thread_batches_.empty();
      kicks = stop ? 0 : kicks_;
      kicks_ = 0;
    }
    // Its report goes before anything read after it; when stopping too: it was given before
    // the stop, and its report is owed.
    if (SendThreadBatches(&batches)) signal = true;
    if (stop && !more) break;
    // Datagrams owed now (JavaScript found one due with nothing received to let it go).
    while (kicks-- > 0 && SendQueued(nullptr, 0, 0)) signal = true;
    if (signal) uv_async_send(receiver_async_);
    int rc = poll(fds, 2, more ? 0 : -1);
    if (rc < 0) {
      if (errno == EINTR) continue;
      std::lock_guard<std::mutex> lock(mu_);
      receiver_error_ = errno;
      break;
    }
    if ((fds[1].revents & POLLIN) != 0) {
      uint64_t value;
      ssize_t ignored = read(receiver_wake_fd_, &value, sizeof(value));
      (void)ignored;
    }
    if ((fds[0].revents & (POLLIN | POLLERR)) != 0 && ReceiveOnThread()) uv_async_send(receiver_async_);
    if ((fds[0].revents & (POLLHUP | POLLNVAL)) != 0) {
      std::lock_guard<std::mutex> lock(mu_);
      receiver_error_ = EBADF;
      break;
    }
  }
  int err = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    err = receiver_error_ != 0 ? receiver_error_ : EBADF;
  }
  EndThreadBatches(err);
  uv_async_send(receiver_async_);
}

// Reads what is queued, sending a queued datagram on each one read; true when it read any.
// The lock is taken per round (one recvmmsg), so the loop thread is never kept waiting long.
bool IcmpSocket::ReceiveOnThread() {
  bool any = false;
  int soft_errors = 0;
  size_t read = 0;
  for (int round = 0; round < kRoundsPerWake; round++) {
    if (!raw_) {
      std::lock_guard<std::mutex> lock(mu_);
      if (DrainErrorQueue(batch_slots_) > 0) any = true;
    }
    // (The error queue is read under the lock: it is rare, and DrainErrorQueue adds to the batch.)
    unsigned int want = static_cast<unsigned int>(batch_slots_);
    int n = ReceiveIntoSlots(want);
    if (n < 0) {
      int err = errno;
      if (err == EINTR) continue;
      if (err == EAGAIN || err == EWOULDBLOCK) break;
      // A datagram socket reports a queued ICMP error once as a receive's result: the error
      // queue has it, and the next round reads it.
      if (!raw_ && soft_errors++ < 4) continue;
      std::lock_guard<std::mutex> lock(mu_);
      receiver_error_ = err;
      break;
    }
    int64_t mono_now = 0;
    int64_t offset = RealtimeOffsetNs(&mono_now);
    bool sent = false;
    for (int i = 0; i < n; i++) sent = SendQueued(&slot_msgs_[i], offset, mono_now) || sent;
    any = true;
    // A sweep's replies come many per round: the loop thread hears of them in batches of about
    // this many, not all at once (and the next batch to send is not kept waiting).
    read += static_cast<size_t>(n);
    if (read >= kRecordsPerWake) break;
    // Nothing more for now, unless a datagram just went whose answer may already be in.
    if (static_cast<unsigned int>(n) < want && !sent) break;
  }
  return any;
}

// Sends the next queued datagram, if any and if its time has not passed, and adds to the batch
// what became of it (the stamp, or -errno): in the record of `received`, the datagram that let
// it go (which is added with it, sent or not), or, without one, in a record of its own. The datagram is taken
// under the lock and sent outside it, so the loop thread never waits on a system call; a failed
// send ends the queue: JavaScript hears it and decides. True when one went.
bool IcmpSocket::SendQueued(const mmsghdr* received, int64_t rt_offset, int64_t mono_now) {
  uint8_t datagram[65536];
  size_t length = 0;
  sockaddr_storage to;
  socklen_t to_len = 0;
  int64_t stamp = MonotonicNs();
  int flag = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    // Not clocking (the thread runs for sendBatchOnThread): a datagram read is only handed over.
    if (received != nullptr && !clocking_) {
      AppendPacket(received->msg_hdr, received->msg_len, false, rt_offset, mono_now);
      NoteDropCounter(received->msg_hdr);
      return false;
    }
    if (queued_next_ < queued_count_ && queued_not_after_ > 0 && stamp > queued_not_after_) queued_count_ = queued_next_;
    if (received != nullptr && withheld_ > 0) {
      withheld_--;
      flag = kFlagSendWithheld;
    } else if (queued_next_ < queued_count_) {
      length = queued_length_;
      memcpy(datagram, queued_.data() + queued_next_ * queued_length_, length);
      to = queued_to_;
      to_len = queued_to_len_;
      queued_next_++;
    } else if (received == nullptr) {
      return false;
    }
  }
  int err = 0;
  if (length > 0) {
    ssize_t sent;
    do {
      stamp = MonotonicNs();
      sent = sendto(fd_, datagram, length, 0, reinterpret_cast<const sockaddr*>(&to), to_len);
    } while (sent < 0 && errno == EINTR);
    err = sent < 0 ? errno : 0;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (received != nullptr) {
    AppendPacket(received->msg_hdr, received->msg_len, false, rt_offset, mono_now);
    NoteDropCounter(received->msg_hdr);
    if (flag == 0 && length == 0) {
      owed_++;
      flag = kFlagSendOwed;
    }
    batch_meta_[batch_meta_.size() - kMetaStride + kMetaFlags] += flag;
  } else {
    AppendReport(kFlagSendReport);
  }
  if (length == 0) return false;
  double* meta = batch_meta_.data() + batch_meta_.size() - kMetaStride;
  if (err != 0) {
    meta[kMetaSentAfter] = -static_cast<double>(err);
    queued_count_ = queued_next_;
    return false;
  }
  meta[kMetaSentAfter] = static_cast<double>(stamp);
  return true;
}

void IcmpSocket::OnReceiverAsync(uv_async_t* handle) {
  IcmpSocket* self = static_cast<IcmpSocket*>(handle->data);
  if (self == nullptr || self->closed_ || self->receiver_async_ != handle) return;
  self->TakeAndDeliver();
}

// Takes the batch the thread assembled and hands it to JavaScript (not from inside a batch:
// batches go in order). What the thread read meanwhile goes next time it signals.
void IcmpSocket::TakeAndDeliver() {
  if (delivering_) return;
  int error = 0;
  uint32_t drops = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    taken_data_.swap(batch_data_);
    taken_meta_.swap(batch_meta_);
    batch_data_.clear();
    batch_meta_.clear();
    error = receiver_error_;
    receiver_error_ = 0;
    drops = drop_counter_.load(std::memory_order_relaxed);
  }
  taken_.notify_all();

  if (!taken_meta_.empty()) DeliverBatch(taken_data_, taken_meta_, drops);
  taken_data_.clear();
  taken_meta_.clear();
  // JavaScript stopped the thread from inside that batch: what it had read goes now, in order.
  if (!receiver_running_ && !closed_ && !batch_meta_.empty()) {
    taken_data_.swap(batch_data_);
    taken_meta_.swap(batch_meta_);
    DeliverBatch(taken_data_, taken_meta_, drop_counter_.load(std::memory_order_relaxed));
    taken_data_.clear();
    taken_meta_.clear();
  }
  if (error != 0 && !closed_) ReportError(error, "recvmmsg");
}

}  // namespace rawping
