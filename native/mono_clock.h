// Every time the addon hands to JavaScript is CLOCK_MONOTONIC in nanoseconds, as a double
// (exact for the first 104 days of uptime, sub-10ns after). Kernel receive stamps arrive on
// CLOCK_REALTIME (SO_TIMESTAMPNS); they are moved onto the monotonic clock with an offset read
// at receive time, so a wall-clock step between a send and its reply cannot bend an RTT.
// Arithmetic stays in int64 until the end: realtime nanoseconds do not fit a double exactly.
#pragma once
#include <stdint.h>
#include <time.h>

namespace rawping {

inline int64_t TimespecNs(const struct timespec& ts) {
  return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + static_cast<int64_t>(ts.tv_nsec);
}

inline int64_t MonotonicNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return TimespecNs(ts);
}

// realtime - monotonic, read back to back; constant except when the wall clock is stepped.
inline int64_t RealtimeOffsetNs(int64_t* mono_now) {
  struct timespec rt, mono;
  clock_gettime(CLOCK_REALTIME, &rt);
  clock_gettime(CLOCK_MONOTONIC, &mono);
  *mono_now = TimespecNs(mono);
  return TimespecNs(rt) - *mono_now;
}

}  // namespace rawping
