// routeSource: which source address the kernel picks towards a destination, found the way
// ping finds it: connect a UDP socket (no packet leaves) and read its local address back.
#pragma once
#include <napi.h>

namespace rawping {

// routeSource(family: 4 | 6, address: string, scopeId: number, broadcast: boolean): string
// Throws a SystemError (code EHOSTUNREACH, ENETUNREACH, EINVAL, EACCES...) when the route
// lookup fails, as it does for `unreachable`, `blackhole` and `prohibit` routes.
Napi::Value RouteSource(const Napi::CallbackInfo& info);

// routeMtu(family: 4 | 6, address: string, scopeId: number): number, the path MTU towards it.
Napi::Value RouteMtu(const Napi::CallbackInfo& info);

}  // namespace rawping
