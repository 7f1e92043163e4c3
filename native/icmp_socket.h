// One ICMP or ICMPv6 socket (raw or datagram), watched by a uv_poll_t on the loop of the
// environment that created it. The class does syscalls only: it knows nothing of ICMP
// semantics. Received packets reach JavaScript in batches laid out as batch_layout.h says.
// Its methods live in one file per concern:
//   icmp_socket.cc          open or adopt the descriptor, close, ref/unref
//   icmp_socket_options.cc  socket options, bind, kernel filters, local address
//   icmp_socket_send.cc     sendto, sendmmsg and sendmsg with a hop limit, with the send stamp
//   icmp_socket_receive.cc  poll, drain (recvmmsg, the error queue), batch assembly
//   icmp_socket_capacity.cc the receive queue's size and the kernel's drop counter
//   icmp_socket_flow.cc     reading now, on JavaScript's request
//   icmp_socket_receiver.cc the receive thread: datagrams sent one per datagram received
//   icmp_socket_thread_batches.cc  the receive thread: batches sent for JavaScript
//   icmp_socket_deliver.cc  the calls into JavaScript
#pragma once
#include <napi.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <uv.h>

#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <vector>

namespace rawping {

class IcmpSocket : public Napi::ObjectWrap<IcmpSocket> {
 public:
  static Napi::Function Init(Napi::Env env);
  explicit IcmpSocket(const Napi::CallbackInfo& info);
  ~IcmpSocket() override;

 private:
  // Receive slots are this large until setMaxPacketSize asks for more.
  static constexpr size_t kDefaultSlotBytes = 4096;
  // Control message room per receive slot: the few this socket asks for fill well under it.
  static constexpr size_t kControlBytes = 256;

  // JS-visible methods. Lifetime (icmp_socket.cc):
  Napi::Value Close(const Napi::CallbackInfo& info);
  Napi::Value Ref(const Napi::CallbackInfo& info);
  Napi::Value Unref(const Napi::CallbackInfo& info);
  Napi::Value GetFd(const Napi::CallbackInfo& info);
  Napi::Value GetClosed(const Napi::CallbackInfo& info);
  // Options (icmp_socket_options.cc):
  Napi::Value LocalAddress(const Napi::CallbackInfo& info);
  Napi::Value SetTtl(const Napi::CallbackInfo& info);
  Napi::Value SetTos(const Napi::CallbackInfo& info);
  Napi::Value SetBroadcast(const Napi::CallbackInfo& info);
  Napi::Value Bind(const Napi::CallbackInfo& info);
  Napi::Value BindDevice(const Napi::CallbackInfo& info);
  Napi::Value SetTypeFilter(const Napi::CallbackInfo& info);
  Napi::Value AttachFilter(const Napi::CallbackInfo& info);
  Napi::Value SetInheritable(const Napi::CallbackInfo& info);
  Napi::Value SetOption(const Napi::CallbackInfo& info);
  Napi::Value Connect(const Napi::CallbackInfo& info);
  Napi::Value SetFlowLabel(const Napi::CallbackInfo& info);
  // Send (icmp_socket_send.cc):
  Napi::Value Send(const Napi::CallbackInfo& info);
  Napi::Value SendBatch(const Napi::CallbackInfo& info);
  Napi::Value SendWithHopLimit(const Napi::CallbackInfo& info);
  // Receive (icmp_socket_receive.cc):
  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value SetMaxPacketSize(const Napi::CallbackInfo& info);
  // Receive capacity (icmp_socket_capacity.cc):
  Napi::Value SetReceiveBuffer(const Napi::CallbackInfo& info);
  Napi::Value ReceiveBuffer(const Napi::CallbackInfo& info);
  Napi::Value KernelDrops(const Napi::CallbackInfo& info);
  // Flow (icmp_socket_flow.cc):
  Napi::Value DrainNow(const Napi::CallbackInfo& info);
  // The receive thread (icmp_socket_receiver.cc):
  Napi::Value QueueSends(const Napi::CallbackInfo& info);
  Napi::Value UnqueueSends(const Napi::CallbackInfo& info);
  Napi::Value WithholdSends(const Napi::CallbackInfo& info);
  // Batches sent by the receive thread (icmp_socket_thread_batches.cc):
  Napi::Value SendBatchOnThread(const Napi::CallbackInfo& info);

  // icmp_socket.cc
  static void OnEnvCleanup(void* arg);
  bool CheckOpen(Napi::Env env);
  void CloseNow();
  // icmp_socket_send.cc (bind parses its address the same way)
  bool ParseAddress(Napi::Env env, const Napi::Value& address, uint32_t scope_id,
                    sockaddr_storage* out, socklen_t* out_len, const char* syscall);
  // Packets of one length, each to its own address: what sendBatch and sendBatchOnThread take.
  struct OutgoingBatch {
    const uint8_t* bytes = nullptr;  // JavaScript's, while parsing; `copy` once queued for the thread
    size_t packet_length = 0;
    std::vector<sockaddr_storage> to;
    std::vector<socklen_t> to_len;
    std::vector<uint8_t> copy;
  };
  bool ParseBatch(const Napi::CallbackInfo& info, const char* name, OutgoingBatch* out);
  size_t SendMany(const uint8_t* bytes, const OutgoingBatch& batch, int* err);
  // icmp_socket_receive.cc
  static void OnPoll(uv_poll_t* handle, int status, int events);
  void AllocateSlots(size_t slot_bytes);
  int ReceiveIntoSlots(unsigned int want);
  void Drain();
  size_t DrainNormal(size_t budget);
  size_t DrainErrorQueue(size_t budget);
  void AppendPacket(const struct msghdr& msg, size_t received, bool from_error_queue,
                    int64_t rt_offset, int64_t mono_now);
  double* AppendReport(int flags);
  // icmp_socket_receiver.cc
  bool StartReceiver(Napi::Env env);
  size_t StopReceiver(bool deliver);
  static void* ReceiverThread(void* self);
  void ReceiverLoop();
  bool ReceiveOnThread();
  bool SendQueued(const struct mmsghdr* received, int64_t rt_offset, int64_t mono_now);
  static void OnReceiverAsync(uv_async_t* handle);
  // icmp_socket_thread_batches.cc
  bool SendThreadBatches(std::vector<OutgoingBatch>* batches);
  void AppendBatchReport(int64_t stamp, size_t sent, int err);
  void EndThreadBatches(int err);
  void TakeAndDeliver();
  // icmp_socket_capacity.cc
  void EnableDropCounter();
  void NoteDropCounter(const struct msghdr& msg);
  // icmp_socket_deliver.cc
  void DeliverBatch();
  void DeliverBatch(const std::vector<uint8_t>& bytes, const std::vector<double>& records, uint32_t drop_counter);
  void ReportError(int err, const char* syscall);

  int fd_ = -1;
  int family_ = AF_INET;  // AF_INET or AF_INET6
  bool raw_ = true;       // SOCK_RAW, else SOCK_DGRAM (IPPROTO_ICMP / IPPROTO_ICMPV6)
  uint32_t flowinfo_ = 0;  // IPv6 flow label (network order) every sendto carries; set by setFlowLabel
  bool closed_ = false;
  bool referenced_ = true;
  bool cleanup_hook_ = false;
  bool draining_ = false;    // inside Drain(): a drain asked for meanwhile is that one
  bool delivering_ = false;  // inside the batch callback
  uv_poll_t* poll_ = nullptr;
  napi_env env_ = nullptr;
  Napi::FunctionReference on_batch_;
  Napi::FunctionReference on_error_;
  Napi::ObjectReference self_;  // keeps the wrapper alive while it polls

  // Receive slots for recvmmsg, allocated once and reused; sized by SetMaxPacketSize.
  size_t slot_bytes_ = 0;
  size_t batch_slots_ = 0;
  std::vector<uint8_t> slot_data_;
  std::vector<uint8_t> slot_control_;
  std::vector<sockaddr_storage> slot_names_;
  std::vector<struct iovec> slot_iov_;
  std::vector<struct mmsghdr> slot_msgs_;

  // Staging arrays owned by JavaScript (given to start()): a batch that fits is copied into
  // them, so a wake-up allocates nothing. The JS side copies each packet out of them.
  Napi::Reference<Napi::Uint8Array> staging_data_;
  Napi::Reference<Napi::Float64Array> staging_meta_;
  uint8_t* staging_data_ptr_ = nullptr;
  size_t staging_data_cap_ = 0;
  double* staging_meta_ptr_ = nullptr;
  size_t staging_meta_cap_ = 0;

  // The kernel's drop counter as last read (SO_RXQ_OVFL or SO_MEMINFO); JavaScript gets it
  // with every batch. Written by the receive thread too.
  std::atomic<uint32_t> drop_counter_{0};

  // The receive thread, while datagrams are queued to send one per datagram received. While it
  // runs it alone reads the socket (the poll handle is stopped) and owns the receive slots;
  // mu_ guards what both threads touch: the queue and the batch being assembled.
  pthread_t receiver_{};
  bool receiver_running_ = false;  // the loop thread's view; only it starts and stops the thread
  uv_async_t* receiver_async_ = nullptr;
  int receiver_wake_fd_ = -1;      // eventfd: wakes the thread to send what is owed, or to stop
  std::mutex mu_;
  std::condition_variable taken_;  // the loop thread took a batch: a thread held back may go on
  bool receiver_stop_ = false;     // under mu_
  int receiver_error_ = 0;         // under mu_: a receive failure for the loop thread to report
  size_t kicks_ = 0;               // under mu_: datagrams to send now, without one received
  size_t owed_ = 0;                // under mu_: datagrams received while nothing was queued
  size_t withheld_ = 0;            // under mu_: datagrams on which to send nothing (withholdSends)
  bool clocking_ = false;          // under mu_: queueSends was called since the thread started (flood)
  bool receiver_exited_ = false;   // under mu_: the thread's loop ended (stopped, or on an error)
  // under mu_: batches for the thread to send (sendBatchOnThread), oldest first
  std::vector<OutgoingBatch> thread_batches_;
  // Datagrams to send one per datagram received (queueSends), laid end to end; under mu_: the
  // next to go, how many, where, and the monotonic time after which none goes (0: none).
  std::vector<uint8_t> queued_;
  size_t queued_length_ = 0;
  size_t queued_count_ = 0;
  size_t queued_next_ = 0;
  sockaddr_storage queued_to_{};
  socklen_t queued_to_len_ = 0;
  int64_t queued_not_after_ = 0;
  // A batch the loop thread took from the thread, being handed to JavaScript.
  std::vector<uint8_t> taken_data_;
  std::vector<double> taken_meta_;

  // The batch being assembled for JavaScript; reused between wake-ups.
  std::vector<uint8_t> batch_data_;
  std::vector<double> batch_meta_;
};

}  // namespace rawping
