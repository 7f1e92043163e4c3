// Reading the control messages that recvmsg returned, within the bounds the kernel reported.
// A message's data is read only when its cmsg_len says it holds that many bytes and those bytes
// lie inside the part of the control buffer that was filled (msg_controllen after the call).
// The kernel cuts a message that does not fit the buffer (setting MSG_CTRUNC) and shortens its
// cmsg_len to match, so these checks, not the size of the buffer, are what keep a read inside
// what the kernel wrote. Header-only, so test/native/control_message_test.cc runs the same code
// on hand-made buffers.
#pragma once

#include <linux/errqueue.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>

namespace rawping {

// True when control message `c` of `msg` carries at least `bytes` bytes of data, all of them
// inside the control buffer the kernel filled.
inline bool ControlHolds(const msghdr& msg, const cmsghdr* c, size_t bytes) {
  if (c->cmsg_len < CMSG_LEN(bytes)) return false;
  const uint8_t* begin = static_cast<const uint8_t*>(msg.msg_control);
  const uint8_t* data = reinterpret_cast<const uint8_t*>(CMSG_DATA(c));
  return data >= begin && static_cast<size_t>(data - begin) + bytes <= msg.msg_controllen;
}

// The host that sent an error-queue entry: the address the kernel writes right after the
// sock_extended_err, in the same control message (SO_EE_OFFENDER). Null when that message is
// too short to hold the whole address of its family, or when the family is neither IPv4 nor
// IPv6 (AF_UNSPEC: a local error, which no host sent).
inline const sockaddr* ErrorOffender(const msghdr& msg, const cmsghdr* c) {
  constexpr size_t at = sizeof(sock_extended_err);
  if (!ControlHolds(msg, c, at + sizeof(sa_family_t))) return nullptr;
  const uint8_t* address = reinterpret_cast<const uint8_t*>(CMSG_DATA(c)) + at;
  sa_family_t family;
  memcpy(&family, address + offsetof(sockaddr, sa_family), sizeof(family));
  size_t need = family == AF_INET ? sizeof(sockaddr_in) : family == AF_INET6 ? sizeof(sockaddr_in6) : 0;
  if (need == 0 || !ControlHolds(msg, c, at + need)) return nullptr;
  return reinterpret_cast<const sockaddr*>(address);
}

}  // namespace rawping
