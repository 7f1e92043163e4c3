// IcmpSocket's flow on JavaScript's request: reading what is queued now, rather than when the
// event loop next polls. A timer that fires while replies wait unread in the kernel's queue
// (a loop busy with thousands of sessions, or blocked) would otherwise count them as lost.
#include "icmp_socket.h"

namespace rawping {

// drain(): reads what is queued and hands it to JavaScript (the batch callback, re-entered)
// before it returns: from the socket, or what the receive thread has read. Nothing when not
// polling, or when called from inside a batch.
Napi::Value IcmpSocket::DrainNow(const Napi::CallbackInfo& info) {
  if (closed_ || delivering_) return info.Env().Undefined();
  if (receiver_running_) TakeAndDeliver();
  else if (poll_ != nullptr) Drain();
  return info.Env().Undefined();
}

}  // namespace rawping
