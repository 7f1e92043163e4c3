{
  "variables": {
    "rawping_sanitize%": "false"
  },
  "targets": [
    {
      "target_name": "rawping",
      "sources": [
        "native/addon.cc",
        "native/icmp_socket.cc",
        "native/icmp_socket_capacity.cc",
        "native/icmp_socket_deliver.cc",
        "native/icmp_socket_flow.cc",
        "native/icmp_socket_options.cc",
        "native/icmp_socket_receive.cc",
        "native/icmp_socket_receiver.cc",
        "native/icmp_socket_send.cc",
        "native/icmp_socket_thread_batches.cc",
        "native/interface_index.cc",
        "native/privileges.cc",
        "native/route_source.cc",
        "native/system_error.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-fno-exceptions", "-pthread"],
      "ldflags": ["-pthread"],
      "conditions": [
        ["rawping_sanitize=='true'", {
          "cflags_cc": ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-O1", "-g"],
          "ldflags": ["-fsanitize=address,undefined"]
        }]
      ]
    }
  ]
}
