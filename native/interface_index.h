// interfaceIndex: the index of a network interface by name (if_nametoindex), for the %scope
// of an IPv6 address: any interface, whether or not it has an address of its own.
#pragma once
#include <napi.h>

namespace rawping {

// interfaceIndex(name: string): number. 0 when there is no interface of that name.
Napi::Value InterfaceIndex(const Napi::CallbackInfo& info);

}  // namespace rawping
