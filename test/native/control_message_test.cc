// native/control_message.h on hand-made control buffers, built with -fsanitize=address,undefined
// by test/native/control-message.test.ts. Each buffer is its own heap block of exactly the size
// the case gives, so a read one byte past what a case holds is an ASan report, not a quiet
// success. The kernel itself never writes a message shorter than the struct it sends (it cuts
// and shortens cmsg_len when the buffer is too small), so these buffers are the only way to
// show that the reader stops at cmsg_len: issue 18, item 10.
//
// Prints "ok <cases>" and exits 0, or names the first failing case and exits 1.
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cstdint>
#include <random>
#include <vector>

#include "control_message.h"

using rawping::ControlHolds;
using rawping::ErrorOffender;

namespace {

int cases = 0;
int failures = 0;

void Check(bool ok, const char* what) {
  cases++;
  if (!ok) {
    failures++;
    fprintf(stderr, "FAIL: %s\n", what);
  }
}

// A control buffer of exactly `bytes` bytes on the heap holding one control message whose
// cmsg_len is `cmsg_len`, whose data starts with `data`; msg_controllen is `bytes`.
struct Control {
  uint8_t* buffer;
  msghdr msg;
  Control(size_t bytes, size_t cmsg_len, int level, int type, const void* data, size_t data_bytes) {
    buffer = static_cast<uint8_t*>(malloc(bytes));
    memset(buffer, 0xA5, bytes);  // not zero: a stray read of "family 0" must not look safe
    memset(&msg, 0, sizeof(msg));
    msg.msg_control = buffer;
    msg.msg_controllen = bytes;
    if (bytes >= sizeof(cmsghdr)) {
      cmsghdr* c = reinterpret_cast<cmsghdr*>(buffer);
      c->cmsg_len = cmsg_len;
      c->cmsg_level = level;
      c->cmsg_type = type;
      size_t room = bytes - CMSG_LEN(0);
      memcpy(CMSG_DATA(c), data, data_bytes < room ? data_bytes : room);
    }
  }
  ~Control() { free(buffer); }
  Control(const Control&) = delete;
  Control& operator=(const Control&) = delete;
  cmsghdr* First() { return CMSG_FIRSTHDR(&msg); }
};

struct ErrV4 {
  sock_extended_err ee;
  sockaddr_in offender;
};
struct ErrV6 {
  sock_extended_err ee;
  sockaddr_in6 offender;
};

ErrV4 MakeV4(sa_family_t family) {
  ErrV4 e;
  memset(&e, 0, sizeof(e));
  e.ee.ee_origin = SO_EE_ORIGIN_ICMP;
  e.ee.ee_type = 3;
  e.offender.sin_family = family;
  inet_pton(AF_INET, "127.1.2.3", &e.offender.sin_addr);
  return e;
}

ErrV6 MakeV6(sa_family_t family) {
  ErrV6 e;
  memset(&e, 0, sizeof(e));
  e.ee.ee_origin = SO_EE_ORIGIN_ICMP6;
  e.ee.ee_type = 1;
  e.offender.sin6_family = family;
  inet_pton(AF_INET6, "fd00:250:ff::7", &e.offender.sin6_addr);
  e.offender.sin6_scope_id = 9;
  return e;
}

void WellFormed() {
  ErrV4 v4 = MakeV4(AF_INET);
  Control a(CMSG_SPACE(sizeof(v4)), CMSG_LEN(sizeof(v4)), IPPROTO_IP, IP_RECVERR, &v4, sizeof(v4));
  const sockaddr* o = ErrorOffender(a.msg, a.First());
  Check(o != nullptr && o->sa_family == AF_INET, "IPv4: a whole sockaddr_in after the error is the offender");
  Check(o != nullptr && memcmp(&reinterpret_cast<const sockaddr_in*>(o)->sin_addr, &v4.offender.sin_addr, 4) == 0,
        "IPv4: the offender is the address written");

  ErrV6 v6 = MakeV6(AF_INET6);
  Control b(CMSG_SPACE(sizeof(v6)), CMSG_LEN(sizeof(v6)), IPPROTO_IPV6, IPV6_RECVERR, &v6, sizeof(v6));
  o = ErrorOffender(b.msg, b.First());
  Check(o != nullptr && o->sa_family == AF_INET6, "IPv6: a whole sockaddr_in6 after the error is the offender");
  Check(o != nullptr && reinterpret_cast<const sockaddr_in6*>(o)->sin6_scope_id == 9, "IPv6: the offender is the address written");

  // Exactly CMSG_LEN bytes of buffer (no padding after): still whole.
  Control c(CMSG_LEN(sizeof(v6)), CMSG_LEN(sizeof(v6)), IPPROTO_IPV6, IPV6_RECVERR, &v6, sizeof(v6));
  Check(ErrorOffender(c.msg, c.First()) != nullptr, "IPv6: a buffer that ends where the message ends");
}

void Short() {
  ErrV4 v4 = MakeV4(AF_INET);
  ErrV6 v6 = MakeV6(AF_INET6);
  // The message holds the extended error only: the offender's family is past cmsg_len, and
  // past the end of the buffer too, so reading it would be an ASan report.
  Control a(CMSG_LEN(sizeof(sock_extended_err)), CMSG_LEN(sizeof(sock_extended_err)), IPPROTO_IP, IP_RECVERR, &v4, sizeof(v4));
  Check(ControlHolds(a.msg, a.First(), sizeof(sock_extended_err)), "the extended error alone is held");
  Check(ErrorOffender(a.msg, a.First()) == nullptr, "no offender when the message ends after the extended error");

  // The family fits, the rest of the address does not.
  for (size_t cut = sizeof(sa_family_t); cut < sizeof(sockaddr_in); cut++) {
    size_t len = CMSG_LEN(sizeof(sock_extended_err) + cut);
    Control b(len, len, IPPROTO_IP, IP_RECVERR, &v4, sizeof(v4));
    Check(ErrorOffender(b.msg, b.First()) == nullptr, "no offender when a sockaddr_in is cut short");
  }
  for (size_t cut = sizeof(sa_family_t); cut < sizeof(sockaddr_in6); cut++) {
    size_t len = CMSG_LEN(sizeof(sock_extended_err) + cut);
    Control b(len, len, IPPROTO_IPV6, IPV6_RECVERR, &v6, sizeof(v6));
    Check(ErrorOffender(b.msg, b.First()) == nullptr, "no offender when a sockaddr_in6 is cut short");
  }
  // Room for a sockaddr_in, family says AF_INET6: the longer address is not there.
  ErrV4 lying = MakeV4(AF_INET6);
  Control d(CMSG_LEN(sizeof(lying)), CMSG_LEN(sizeof(lying)), IPPROTO_IPV6, IPV6_RECVERR, &lying, sizeof(lying));
  Check(ErrorOffender(d.msg, d.First()) == nullptr, "no offender when the family asks for more than the message holds");

  // cmsg_len says whole, but the buffer the kernel filled (msg_controllen) ends before.
  Control e(CMSG_LEN(sizeof(sock_extended_err) + 4), CMSG_LEN(sizeof(v4)), IPPROTO_IP, IP_RECVERR, &v4, sizeof(v4));
  Check(!ControlHolds(e.msg, e.First(), sizeof(v4)), "cmsg_len beyond msg_controllen is not believed");
  Check(ErrorOffender(e.msg, e.First()) == nullptr, "no offender past msg_controllen");

  // A timestamp or TTL message cut short.
  timespec ts{1, 2};
  Control f(CMSG_LEN(sizeof(ts) - 1), CMSG_LEN(sizeof(ts) - 1), SOL_SOCKET, SCM_TIMESTAMPNS, &ts, sizeof(ts));
  Check(!ControlHolds(f.msg, f.First(), sizeof(ts)), "a timestamp one byte short is not read");
  int ttl = 64;
  Control g(CMSG_LEN(sizeof(ttl) - 1), CMSG_LEN(sizeof(ttl) - 1), IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
  Check(!ControlHolds(g.msg, g.First(), sizeof(ttl)), "a TTL one byte short is not read");
}

void NotAnAddress() {
  for (sa_family_t family : {static_cast<sa_family_t>(AF_UNSPEC), static_cast<sa_family_t>(AF_UNIX), static_cast<sa_family_t>(0xA5A5)}) {
    ErrV6 e = MakeV6(family);
    Control a(CMSG_SPACE(sizeof(e)), CMSG_LEN(sizeof(e)), IPPROTO_IPV6, IPV6_RECVERR, &e, sizeof(e));
    Check(ErrorOffender(a.msg, a.First()) == nullptr, "no offender for a family that is neither IPv4 nor IPv6");
  }
}

// Random buffers, random cmsg_len, walked as the addon walks them; every pointer handed back
// is read through to the end of what it claims, so an answer beyond the buffer is an ASan
// report.
void Random(unsigned seed, int rounds) {
  std::mt19937 rng(seed);
  for (int r = 0; r < rounds; r++) {
    size_t bytes = rng() % 160;
    std::vector<uint8_t> fill(bytes);
    for (uint8_t& b : fill) b = static_cast<uint8_t>(rng());
    uint8_t* buffer = static_cast<uint8_t*>(malloc(bytes == 0 ? 1 : bytes));
    if (bytes > 0) memcpy(buffer, fill.data(), bytes);
    msghdr msg;
    memset(&msg, 0, sizeof(msg));
    msg.msg_control = buffer;
    msg.msg_controllen = bytes;
    // Plausible lengths most of the time, anything some of the time.
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      if (reinterpret_cast<uint8_t*>(c) + sizeof(cmsghdr) > buffer + bytes) break;
      if (rng() % 4 != 0) c->cmsg_len = CMSG_LEN(rng() % 64);
      volatile uint8_t sink = 0;
      if (ControlHolds(msg, c, sizeof(timespec))) {
        for (size_t i = 0; i < sizeof(timespec); i++) sink = sink + CMSG_DATA(c)[i];
      }
      const sockaddr* o = ErrorOffender(msg, c);
      if (o != nullptr) {
        size_t n = o->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
        Check(o->sa_family == AF_INET || o->sa_family == AF_INET6, "random: only IPv4 or IPv6 offenders");
        const uint8_t* p = reinterpret_cast<const uint8_t*>(o);
        Check(p >= buffer && p + n <= buffer + bytes, "random: the offender lies inside the buffer");
        for (size_t i = 0; i < n; i++) sink = sink + p[i];
      }
      (void)sink;
      // CMSG_NXTHDR trusts cmsg_len for the step; a length under a header would not advance.
      if (c->cmsg_len < sizeof(cmsghdr)) break;
    }
    free(buffer);
  }
  cases++;
}

}  // namespace

int main(int argc, char** argv) {
  unsigned seed = argc > 1 ? static_cast<unsigned>(strtoul(argv[1], nullptr, 10)) : 1;
  int rounds = argc > 2 ? atoi(argv[2]) : 20000;
  WellFormed();
  Short();
  NotAnAddress();
  Random(seed, rounds);
  if (failures > 0) {
    fprintf(stderr, "%d of %d cases failed\n", failures, cases);
    return 1;
  }
  printf("ok %d\n", cases);
  return 0;
}
