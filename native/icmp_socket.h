// One ICMP or ICMPv6 socket (raw or datagram), watched by a uv_poll_t on the loop of the
// environment that created it. The class does syscalls only: it knows nothing of ICMP
// semantics. Received packets reach JavaScript in batches laid out as batch_layout.h says.
// Its methods live in one file per concern:
//   icmp_socket.cc          open or adopt the descriptor, close, ref/unref
//   icmp_socket_options.cc  socket options, bind, kernel filters, local address
//   icmp_socket_send.cc     sendto and sendmmsg, with the send stamp
//   icmp_socket_receive.cc  poll, drain (recvmmsg, the error queue), batch assembly
//   icmp_socket_deliver.cc  the calls into JavaScript
#pragma once
#include <napi.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <uv.h>

#include <cstdint>
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
  // Receive (icmp_socket_receive.cc):
  Napi::Value Start(const Napi::CallbackInfo& info);
  Napi::Value SetMaxPacketSize(const Napi::CallbackInfo& info);

  // icmp_socket.cc
  static void OnEnvCleanup(void* arg);
  bool CheckOpen(Napi::Env env);
  void CloseNow();
  // icmp_socket_send.cc (bind parses its address the same way)
  bool ParseAddress(Napi::Env env, const Napi::Value& address, uint32_t scope_id,
                    sockaddr_storage* out, socklen_t* out_len, const char* syscall);
  // icmp_socket_receive.cc
  static void OnPoll(uv_poll_t* handle, int status, int events);
  void AllocateSlots(size_t slot_bytes);
  void Drain();
  size_t DrainNormal(size_t budget);
  size_t DrainErrorQueue(size_t budget);
  void AppendPacket(const struct msghdr& msg, size_t received, bool from_error_queue,
                    int64_t rt_offset, int64_t mono_now);
  // icmp_socket_deliver.cc
  void DeliverBatch();
  void ReportError(int err, const char* syscall);

  int fd_ = -1;
  int family_ = AF_INET;  // AF_INET or AF_INET6
  bool raw_ = true;       // SOCK_RAW, else SOCK_DGRAM (IPPROTO_ICMP / IPPROTO_ICMPV6)
  uint32_t flowinfo_ = 0;  // IPv6 flow label (network order) every sendto carries; set by setFlowLabel
  bool closed_ = false;
  bool referenced_ = true;
  bool cleanup_hook_ = false;
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

  // The batch being assembled for JavaScript; reused between wake-ups.
  std::vector<uint8_t> batch_data_;
  std::vector<double> batch_meta_;
};

}  // namespace rawping
