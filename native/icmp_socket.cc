// IcmpSocket's lifetime: the method table, opening (or adopting) the descriptor with the
// options the receive path relies on, closing in a fixed order, and whether it holds the loop.
#include "icmp_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>

#include "system_error.h"

namespace rawping {

Napi::Function IcmpSocket::Init(Napi::Env env) {
  return DefineClass(
      env, "IcmpSocket",
      {
          InstanceMethod<&IcmpSocket::Start>("start"),
          InstanceMethod<&IcmpSocket::Send>("send"),
          InstanceMethod<&IcmpSocket::SendBatch>("sendBatch"),
          InstanceMethod<&IcmpSocket::SendWithHopLimit>("sendWithHopLimit"),
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
          InstanceMethod<&IcmpSocket::SetReceiveBuffer>("setReceiveBuffer"),
          InstanceMethod<&IcmpSocket::ReceiveBuffer>("receiveBuffer"),
          InstanceMethod<&IcmpSocket::KernelDrops>("kernelDrops"),
          InstanceMethod<&IcmpSocket::DrainNow>("drain"),
          InstanceMethod<&IcmpSocket::QueueSends>("queueSends"),
          InstanceMethod<&IcmpSocket::UnqueueSends>("unqueueSends"),
          InstanceMethod<&IcmpSocket::WithholdSends>("withholdSends"),
          InstanceMethod<&IcmpSocket::SendBatchOnThread>("sendBatchOnThread"),
          InstanceMethod<&IcmpSocket::SetInheritable>("setInheritable"),
          InstanceMethod<&IcmpSocket::SetOption>("setOption"),
          InstanceMethod<&IcmpSocket::Connect>("connect"),
          InstanceMethod<&IcmpSocket::SetFlowLabel>("setFlowLabel"),
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

  // Options the receive path relies on. Without receive stamps there is no RTT, so a kernel
  // that refuses SO_TIMESTAMPNS is one we cannot measure on; the TTL, hop limit and error
  // queue options add to what a packet carries and are asked for on a best-effort basis.
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
  EnableDropCounter();

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
  // The receive thread reads this descriptor: it stops first (what it read is dropped).
  StopReceiver(false);
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
  if (receiver_async_ != nullptr) uv_ref(reinterpret_cast<uv_handle_t*>(receiver_async_));
  return info.Env().Undefined();
}

Napi::Value IcmpSocket::Unref(const Napi::CallbackInfo& info) {
  referenced_ = false;
  if (poll_ != nullptr) uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
  if (receiver_async_ != nullptr) uv_unref(reinterpret_cast<uv_handle_t*>(receiver_async_));
  return info.Env().Undefined();
}

Napi::Value IcmpSocket::GetFd(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), fd_);
}

Napi::Value IcmpSocket::GetClosed(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), closed_);
}

}  // namespace rawping
