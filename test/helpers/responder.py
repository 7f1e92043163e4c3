#!/usr/bin/env python3
"""A scripted ICMP responder for rawping's hostile-network tests.

Runs inside a test host namespace whose kernel echo is off, reads the echo requests sent to
--address, and answers them the way --scenario says: normally, or duplicated, delayed,
reordered, corrupted, cut short, from another address, with IP options, with ICMP errors
quoting the probe (well-formed or not), with floods of foreign replies... Standard library
only. It prints "ready" once its sockets are open and stops on SIGTERM or after
--max-seconds. It only ever sends to the hosts that sent it a request.

Usage: responder.py --family 4|6 --address ADDR --scenario NAME [--alt-source ADDR]
                    [--max-seconds N] [--param value]
"""

import argparse
import os
import random
import select
import signal
import socket
import struct
import sys
import time

ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY = 8, 0
ICMP6_ECHO_REQUEST, ICMP6_ECHO_REPLY = 128, 129


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def with_checksum(icmp: bytes) -> bytes:
    icmp = icmp[:2] + b"\0\0" + icmp[4:]
    return icmp[:2] + struct.pack("!H", checksum(icmp)) + icmp[4:]


def ipv4_header(src: str, dst: str, payload_len: int, options: bytes = b"", ttl: int = 64, proto: int = 1) -> bytes:
    while len(options) % 4:
        options += b"\x01"  # NOP padding
    ihl = 5 + len(options) // 4
    header = struct.pack(
        "!BBHHHBBH4s4s", 0x40 | ihl, 0, ihl * 4 + payload_len, random.randint(1, 0xFFFF), 0, ttl, proto, 0,
        socket.inet_aton(src), socket.inet_aton(dst),
    ) + options
    return header[:10] + struct.pack("!H", checksum(header)) + header[12:]


# 40 bytes of options: NOPs, a record-route option whose pointer is out of range, an
# unknown option, and end-of-list padding.
HOSTILE_OPTIONS = b"\x01\x01" + bytes([7, 11, 200]) + bytes(8) + bytes([0x9E, 4, 0xAB, 0xCD]) + b"\x01" * 20 + b"\x00"


class Responder:
    def __init__(self, args):
        self.args = args
        self.family = args.family
        self.pending = []  # (due_time, send_fn)
        self.held = []  # requests held back for reordering
        self.count = 0
        if self.family == 4:
            self.rx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            self.raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
            self.icmp_tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
            self.icmp_tx.bind((args.address, 0))
        else:
            self.rx = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
            self.rx.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
            self.tx6 = {}
        self.rx.setblocking(False)

    # ---- sending ---------------------------------------------------------------------------

    def send4(self, src: str, dst: str, icmp: bytes, options: bytes = b"", ttl: int = 64):
        self.raw.sendto(ipv4_header(src, dst, len(icmp), options, ttl) + icmp, (dst, 0))

    def send6(self, src: str, dst: str, icmp: bytes):
        sock = self.tx6.get(src)
        if sock is None:
            sock = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
            sock.bind((src, 0))
            self.tx6[src] = sock
        sock.sendto(icmp, (dst, 0))  # the kernel computes the ICMPv6 checksum

    def later(self, delay_ms: float, fn):
        self.pending.append((time.monotonic() + delay_ms / 1000.0, fn))

    # ---- building answers ------------------------------------------------------------------

    def reply_bytes(self, request_icmp: bytes) -> bytes:
        reply_type = ICMP_ECHO_REPLY if self.family == 4 else ICMP6_ECHO_REPLY
        return with_checksum(bytes([reply_type]) + request_icmp[1:])

    def quote4(self, request_ip: bytes, request_icmp: bytes, client: str, quote_len: int = 8, inner_options: bytes = b"", proto: int = 1) -> bytes:
        inner = ipv4_header(client, self.args.address, len(request_icmp), inner_options, proto=proto)
        return inner + request_icmp[:quote_len]

    def quote6(self, request_icmp: bytes, client: str, ext: bytes = b"", next_header: int = 58) -> bytes:
        header = struct.pack("!IHBB16s16s", 6 << 28, len(ext) + len(request_icmp), next_header, 64,
                             socket.inet_pton(socket.AF_INET6, client), socket.inet_pton(socket.AF_INET6, self.args.address))
        return header + ext + request_icmp

    def error4(self, kind_type: int, code: int, rest: int, quote: bytes) -> bytes:
        return with_checksum(struct.pack("!BBHI", kind_type, code, 0, rest) + quote)

    def error6(self, kind_type: int, code: int, rest: int, quote: bytes) -> bytes:
        return struct.pack("!BBHI", kind_type, code, 0, rest) + quote

    # ---- scenarios -------------------------------------------------------------------------

    def handle(self, client: str, request_ip: bytes, request_icmp: bytes):
        self.count += 1
        a = self.args
        me = a.address
        scenario = a.scenario
        reply = self.reply_bytes(request_icmp)
        send = (lambda data, src=me, **kw: self.send4(src, client, data, **kw)) if self.family == 4 else \
            (lambda data, src=me, **kw: self.send6(src, client, data))

        if scenario == "normal":
            send(reply)
        elif scenario == "dup":
            for _ in range(a.n):
                send(reply)
        elif scenario == "delay":
            self.later(a.ms, lambda: send(reply))
        elif scenario == "reorder":
            self.held.append(reply)
            if len(self.held) >= a.n:
                for held in reversed(self.held):
                    send(held)
                self.held = []
        elif scenario == "forged-time":
            # A timestamp a naive pinger would trust: huge, right after our 8-byte cookie.
            forged = reply[:16] + struct.pack("!qq", 0x7FFFFFFFFFFFFFFF, -1) + reply[32:]
            send(with_checksum(forged))
        elif scenario == "forged-cookie":
            send(with_checksum(reply[:8] + struct.pack("!qq", -5, 0) + reply[24:]))
        elif scenario == "other-source":
            send(reply, src=a.alt_source)
        elif scenario == "other-id":
            ident = struct.unpack("!H", reply[4:6])[0]
            send(with_checksum(reply[:4] + struct.pack("!H", (ident + 1) & 0xFFFF) + reply[6:]))
        elif scenario == "not-ours":
            send(with_checksum(reply[:8] + bytes(b ^ 0xFF for b in reply[8:16]) + reply[16:]))
        elif scenario == "bad-checksum":
            send(reply[:2] + struct.pack("!H", struct.unpack("!H", reply[2:4])[0] ^ 0x5A5A) + reply[4:])
        elif scenario == "truncated":
            send(with_checksum(reply[: a.n]))
        elif scenario == "empty":
            send(with_checksum(reply[:8]))
        elif scenario == "ip-options":
            self.send4(me, client, reply, options=HOSTILE_OPTIONS)
        elif scenario == "big":
            # 60000 bytes: our 8-byte cookie first, so it still matches; the kernel fragments it.
            big = with_checksum(reply[:8 + 8] + bytes(i & 0xFF for i in range(60000 - 16)))
            if self.family == 4:
                self.icmp_tx.sendto(big, (client, 0))
            else:
                send(big)
        elif scenario == "late":
            self.later(a.ms, lambda: send(reply))
        elif scenario == "unknown-type":
            send(with_checksum(bytes([42 if self.family == 4 else 200, 0]) + reply[2:]))
            send(reply)
        elif scenario == "error":
            self.send_error(client, request_ip, request_icmp, a.type, a.code, a.info, quote_options=False)
        elif scenario == "error-options":
            self.send_error(client, request_ip, request_icmp, a.type, a.code, a.info, quote_options=True)
        elif scenario == "error-ext":
            # ICMPv6 error whose quoted packet has a hop-by-hop and a destination options header.
            ext = bytes([60, 0]) + bytes(6) + bytes([58, 0]) + bytes(6)
            self.send6(a.alt_source or me, client, self.error6(a.type, a.code, a.info, self.quote6(request_icmp, client, ext, next_header=0)))
        elif scenario == "malformed-error":
            self.send_malformed(client, request_icmp, a.kind)
        elif scenario == "foreign-error":
            other = request_icmp[:4] + struct.pack("!H", (struct.unpack("!H", request_icmp[4:6])[0] ^ 0x5555)) + request_icmp[6:]
            if self.family == 4:
                send(self.error4(3, 1, 0, self.quote4(request_ip, other, client)))
            else:
                send(self.error6(1, 3, 0, self.quote6(other, client)))
        elif scenario == "foreign-flood":
            if self.count == 1:
                for _ in range(a.n):
                    junk = bytes([reply[0], 0, 0, 0]) + struct.pack("!HH", random.randint(0, 0xFFFF), random.randint(0, 0xFFFF)) + os.urandom(56)
                    send(with_checksum(junk))
                    other_errors = self.error4(3, 3, 0, ipv4_header(client, "10.250.99.99", 64) + os.urandom(8)) if self.family == 4 else None
                    if other_errors:
                        send(other_errors)
            send(reply)
        elif scenario == "redirect":
            gateway = struct.unpack("!I", socket.inet_aton(a.alt_source or me))[0]
            send(self.error4(5, 1, gateway, self.quote4(request_ip, request_icmp, client)))
            send(reply)
        elif scenario == "quench":
            send(self.error4(4, 0, 0, self.quote4(request_ip, request_icmp, client)))
            send(reply)
        elif scenario == "bad-outer":
            # Outer IPv4 headers a receiver must drop before reading further (the kernel may
            # already drop some of them), then the real reply.
            header = bytearray(ipv4_header(me, client, len(reply)))
            for first_byte in (0x44, 0x55, 0x4F):  # IHL 4; version 5; IHL 15 on a 20-byte header
                bad = bytearray(header)
                bad[0] = first_byte
                try:
                    self.raw.sendto(bytes(bad) + reply, (client, 0))
                except OSError:
                    pass  # this kernel refuses to send it at all, which is fine too
            self.send4(me, client, reply[:4])  # 4 bytes of ICMP: under the 8-byte minimum
            send(reply)
        elif scenario == "silent":
            pass
        else:
            raise SystemExit("unknown scenario %s" % scenario)

    def send_error(self, client, request_ip, request_icmp, kind_type, code, info, quote_options):
        src = self.args.alt_source or self.args.address
        if self.family == 4:
            rest = info & 0xFFFF if kind_type == 3 and code == 4 else (info << 24 if kind_type == 12 else 0)
            quote = self.quote4(request_ip, request_icmp, client, quote_len=len(request_icmp), inner_options=HOSTILE_OPTIONS if quote_options else b"")
            self.send4(src, client, self.error4(kind_type, code, rest, quote))
        else:
            self.send6(src, client, self.error6(kind_type, code, info, self.quote6(request_icmp, client)))

    def send_malformed(self, client, request_icmp, kind):
        me = self.args.address
        if kind == "short":
            quote = ipv4_header(client, me, 64)[:12]  # under 28 bytes
        elif kind == "ihl4":
            header = bytearray(ipv4_header(client, me, 64))
            header[0] = 0x44
            quote = bytes(header) + request_icmp[:8]
        elif kind == "long-ihl":
            header = bytearray(ipv4_header(client, me, 64))
            header[0] = 0x4F  # says 60 bytes of header, only 28 quoted
            quote = bytes(header) + request_icmp[:8]
        elif kind in ("tcp", "udp"):
            quote = ipv4_header(client, me, 8, proto=6 if kind == "tcp" else 17) + request_icmp[:8]
        else:
            raise SystemExit("unknown malformed kind %s" % kind)
        self.send4(me, client, self.error4(3, 1, 0, quote))

    # ---- the loop --------------------------------------------------------------------------

    def read_requests(self):
        while True:
            try:
                if self.family == 4:
                    data, (client, _) = self.rx.recvfrom(70000)
                    ihl = (data[0] & 0x0F) * 4
                    dst = socket.inet_ntoa(data[16:20])
                    request_ip, icmp = data[:ihl], data[ihl:]
                    if dst != self.args.address or len(icmp) < 8 or icmp[0] != ICMP_ECHO_REQUEST:
                        continue
                else:
                    data, ancillary, _, (client, *_rest) = self.rx.recvmsg(70000, 256)
                    dst = None
                    for level, kind, value in ancillary:
                        if level == socket.IPPROTO_IPV6 and kind == socket.IPV6_PKTINFO:
                            dst = socket.inet_ntop(socket.AF_INET6, value[:16])
                    request_ip, icmp = b"", data
                    if dst != self.args.address or len(icmp) < 8 or icmp[0] != ICMP6_ECHO_REQUEST:
                        continue
            except BlockingIOError:
                return
            self.handle(client, request_ip, icmp)

    def run(self):
        deadline = time.monotonic() + self.args.max_seconds
        print("ready", flush=True)
        while time.monotonic() < deadline:
            now = time.monotonic()
            due = [p for p in self.pending if p[0] <= now]
            self.pending = [p for p in self.pending if p[0] > now]
            for _, fn in due:
                fn()
            wait = min([p[0] for p in self.pending] + [now + 0.05]) - now
            readable, _, _ = select.select([self.rx], [], [], max(0.0, wait))
            if readable:
                self.read_requests()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--family", type=int, choices=(4, 6), required=True)
    parser.add_argument("--address", required=True)
    parser.add_argument("--scenario", required=True)
    parser.add_argument("--alt-source", default=None)
    parser.add_argument("--max-seconds", type=float, default=60)
    parser.add_argument("--n", type=int, default=3)
    parser.add_argument("--ms", type=float, default=100)
    parser.add_argument("--type", type=int, default=3)
    parser.add_argument("--code", type=int, default=1)
    parser.add_argument("--info", type=int, default=0)
    parser.add_argument("--kind", default="short")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    Responder(args).run()


if __name__ == "__main__":
    main()
