#!/usr/bin/env python3
"""Sends whole IP datagrams, headers included, exactly as it is given them.

The native receive fuzzer (test/native/receive-fuzz-driver.ts) crafts every byte of its
datagrams, IP header too, in TypeScript; Node has no raw socket to send them with, so this
script does it with IPPROTO_RAW sockets (IPv4: the kernel fills in only the total length and
the header checksum; IPv6: nothing). It runs inside a network namespace that the fuzzer made,
and the fuzzer only ever gives it loopback destinations.

Protocol, on stdin: frames of a 6-byte header ("!BBI": family 4 or 6, unused, length), a
16-byte destination address (IPv4 in the first 4 bytes), then `length` bytes of datagram.
For each frame it writes one byte to stdout: "." sent, "!" refused by the kernel (the errno
is counted). It prints "ready\\n" first and, at end of input, one line of JSON with its counts.
Standard library only.
"""

import json
import socket
import struct
import sys

# Path MTU is ignored (IP_PMTUDISC_PROBE): errors the fuzzer sends about its own probes may
# lower the path MTU cached for a loopback address, and that must not start fragmenting or
# refusing the datagrams this script sends.
IP_MTU_DISCOVER, IP_PMTUDISC_PROBE = 10, 3
IPV6_MTU_DISCOVER, IPV6_PMTUDISC_PROBE = 23, 3


def read_exactly(stream, n):
    data = b""
    while len(data) < n:
        chunk = stream.read(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def main():
    v4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    v4.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_PROBE)
    v6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)  # implies the header is included
    v6.setsockopt(socket.IPPROTO_IPV6, IPV6_MTU_DISCOVER, IPV6_PMTUDISC_PROBE)
    for s in (v4, v6):
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(b"ready\n")
    stdout.flush()
    sent, refused = 0, {}
    while True:
        header = read_exactly(stdin, 22)
        if header is None:
            break
        family, _, length = struct.unpack("!BBI", header[:6])
        datagram = read_exactly(stdin, length)
        if datagram is None:
            break
        try:
            if family == 4:
                v4.sendto(datagram, (socket.inet_ntop(socket.AF_INET, header[6:10]), 0))
            else:
                v6.sendto(datagram, (socket.inet_ntop(socket.AF_INET6, header[6:22]), 0))
            sent += 1
            stdout.write(b".")
        except OSError as error:
            name = "E%d" % error.errno if error.errno is not None else "other"
            refused[name] = refused.get(name, 0) + 1
            stdout.write(b"!")
        stdout.flush()
    stdout.write(b"\n" + json.dumps({"sent": sent, "refused": refused}).encode() + b"\n")
    stdout.flush()


if __name__ == "__main__":
    main()
