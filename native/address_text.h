// Socket addresses to and from text: numeric addresses the addon is given, and the addresses
// it hands back or names in error messages.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <string.h>

#include <string>

namespace rawping {

// The address of an AF_INET or AF_INET6 socket address as text (no port, no scope).
inline std::string AddressText(const sockaddr_storage& ss) {
  char text[INET6_ADDRSTRLEN + 1] = {0};
  const void* address = ss.ss_family == AF_INET
                            ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr)
                            : static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr);
  inet_ntop(ss.ss_family, address, text, sizeof(text));
  return text;
}

// Fills `out` with the numeric address `text` of `family` (AF_INET or AF_INET6), with `port`
// (network order) and, for IPv6, `scope_id`. False when `text` is no such address.
inline bool SockaddrFromText(int family, const char* text, uint16_t port, uint32_t scope_id,
                             sockaddr_storage* out, socklen_t* out_len) {
  memset(out, 0, sizeof(*out));
  if (family == AF_INET) {
    sockaddr_in* sin = reinterpret_cast<sockaddr_in*>(out);
    sin->sin_family = AF_INET;
    sin->sin_port = port;
    *out_len = sizeof(sockaddr_in);
    return inet_pton(AF_INET, text, &sin->sin_addr) == 1;
  }
  sockaddr_in6* sin6 = reinterpret_cast<sockaddr_in6*>(out);
  sin6->sin6_family = AF_INET6;
  sin6->sin6_port = port;
  sin6->sin6_scope_id = scope_id;
  *out_len = sizeof(sockaddr_in6);
  return inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1;
}

}  // namespace rawping
