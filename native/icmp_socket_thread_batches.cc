// IcmpSocket's receive thread, sending batches for JavaScript: a sweep hands over its probes
// (sendBatchOnThread) and goes on with its replies while the thread makes the system calls. On
// loopback, and on any host that answers within the send, most of a sweep's time is the
// kernel's, inside sendmmsg: the echo request's delivery, the reply and its queueing all run
// in the sending thread. On the loop thread, that time and the JavaScript that counts the
// replies took turns; on this thread they overlap.
//
// Order is what makes it exact. The thread alone reads the socket while it runs, and it adds
// a batch's report (kFlagBatchReport: how many went, their stamp, the error of the first that
// failed) to the records for JavaScript right after its sendmmsg returns, before it reads
// again: the report of a probe always reaches JavaScript before the probe's reply. Reports
// come in the order the batches were given. The bytes are sent as given; what they are is not
// looked at.
#include <errno.h>
#include <unistd.h>

#include <utility>

#include "batch_layout.h"
#include "icmp_socket.h"
#include "mono_clock.h"
#include "system_error.h"

namespace rawping {

// sendBatchOnThread(packets: Uint8Array, packetLength: number, addresses: string[],
//                   scopeIds: number[]): boolean
// As sendBatch, but the receive thread sends the packets (copied now) and reports what it did
// in a record of the batches JavaScript receives (kFlagBatchReport). Starts the thread. False
// when it cannot take the batch now (nothing is sent, nothing will be reported).
Napi::Value IcmpSocket::SendBatchOnThread(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!CheckOpen(env)) return env.Undefined();
  // The thread is not started from inside a delivery of the loop thread's own reads (Drain,
  // which goes on reading into the receive slots and assembling its batch when JavaScript
  // returns), and a thread that ended on an error takes nothing more: false, and JavaScript
  // sends from the loop thread.
  if (!receiver_running_ && (draining_ || delivering_)) return Napi::Boolean::New(env, false);
  OutgoingBatch batch;
  if (!ParseBatch(info, "sendBatchOnThread", &batch)) return env.Undefined();
  batch.copy.assign(batch.bytes, batch.bytes + batch.to.size() * batch.packet_length);
  batch.bytes = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (receiver_running_ && receiver_exited_) return Napi::Boolean::New(env, false);
    thread_batches_.push_back(std::move(batch));
  }
  if (!receiver_running_) {
    if (!StartReceiver(env)) {
      std::lock_guard<std::mutex> lock(mu_);
      thread_batches_.pop_back();
      return env.Undefined();
    }
  } else {
    uint64_t one = 1;
    ssize_t ignored = write(receiver_wake_fd_, &one, sizeof(one));
    (void)ignored;
  }
  return Napi::Boolean::New(env, true);
}

// Under mu_: the record of a batch.
void IcmpSocket::AppendBatchReport(int64_t stamp, size_t sent, int err) {
  double* record = AppendReport(kFlagBatchReport);
  record[kMetaRecvNs] = static_cast<double>(stamp);
  record[kMetaErrno] = err;
  record[kMetaBatchSent] = static_cast<double>(sent);
}

// On the thread, as it ends: the batches it will not send are reported as not sent (`err`),
// so none waits for ever; and it takes no more.
void IcmpSocket::EndThreadBatches(int err) {
  std::lock_guard<std::mutex> lock(mu_);
  receiver_exited_ = true;
  for (size_t i = 0; i < thread_batches_.size(); i++) AppendBatchReport(0, 0, err);
  thread_batches_.clear();
}

// On the thread: sends each batch taken from thread_batches_ and adds its report; true when
// there was any. The sends are made outside the lock, so the loop thread never waits on them.
bool IcmpSocket::SendThreadBatches(std::vector<OutgoingBatch>* batches) {
  for (const OutgoingBatch& batch : *batches) {
    int err = 0;
    int64_t stamp = MonotonicNs();
    size_t sent = SendMany(batch.copy.data(), batch, &err);
    std::lock_guard<std::mutex> lock(mu_);
    AppendBatchReport(stamp, sent, err);
  }
  bool any = !batches->empty();
  batches->clear();
  return any;
}

}  // namespace rawping
