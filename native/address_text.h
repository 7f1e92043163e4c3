// Socket addresses as text, for error messages and for the addresses the addon hands back.
#pragma once
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

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

}  // namespace rawping
