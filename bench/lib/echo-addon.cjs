// A stand-in for build/Release/rawping.node that answers every echo request in-process, with
// no socket and no system call: the flood scenario runs rawping over it (RAWPING_ADDON) to
// measure what rawping's JavaScript costs per probe, apart from what the kernel costs.
// Everything but the socket class is the real addon's (capabilities, route check, random).
// The replies are delivered as the addon's Drain delivers them on loopback: the reply to a
// probe sent from inside a batch callback comes in the same wake-up, up to 1024 per wake-up.
'use strict';
const { join } = require('node:path');

const real = require(join(__dirname, '..', '..', 'build', 'Release', 'rawping.node'));
const L = real.batchLayout;
const IPV4_HEADER = 20;
const SLOTS = 1024; // requests that can wait for their reply (a flood has one, -l n has n)

// The clock of send stamps and receive stamps, as the addon's: nanoseconds, one clock for both.
const nowNs = () => Math.round(performance.now() * 1e6);

class IcmpSocket {
  constructor(family, kind, onBatch) {
    if (family !== 4 || kind !== 'raw') throw new Error('the echo stand-in answers IPv4 on a raw socket only');
    this.onBatch = onBatch;
    this.closed = false;
    this.fd = -1;
    this.slots = new Array(SLOTS).fill(null); // made on first use, as large as the packets
    this.lengths = new Array(SLOTS).fill(0);
    this.head = 0;
    this.queued = 0;
    this.draining = false;
    this.wake = null;
    this.referenced = true;
  }

  start(data, meta) {
    this.data = data;
    this.meta = meta;
  }

  // Queues the reply a kernel would write: an IPv4 header from 127.0.0.1, then the request with
  // type 0 and its checksum moved by the type's change (RFC 1624), so the bytes stay valid.
  send(bytes) {
    if (this.queued === SLOTS) throw Object.assign(new Error('sendto: ENOBUFS'), { code: 'ENOBUFS', errno: -105, syscall: 'sendto' });
    const at = (this.head + this.queued) % SLOTS;
    const length = IPV4_HEADER + bytes.length;
    if (this.slots[at] === null || this.slots[at].length < length) this.slots[at] = new Uint8Array(length);
    const slot = this.slots[at];
    slot.fill(0, 0, IPV4_HEADER);
    slot[0] = 0x45;
    slot[2] = length >> 8;
    slot[3] = length & 0xff;
    slot[8] = 64;
    slot[9] = 1;
    slot[12] = slot[16] = 127;
    slot[15] = slot[19] = 1;
    slot.set(bytes, IPV4_HEADER);
    slot[IPV4_HEADER] = 0;
    let sum = ((slot[IPV4_HEADER + 2] << 8) | slot[IPV4_HEADER + 3]) + 0x0800;
    sum = (sum & 0xffff) + (sum >>> 16);
    slot[IPV4_HEADER + 2] = sum >> 8;
    slot[IPV4_HEADER + 3] = sum & 0xff;
    this.lengths[at] = length;
    this.queued++;
    const stamp = nowNs();
    if (!this.draining && this.wake === null) this.#arm();
    return stamp;
  }

  #arm() {
    this.wake = setImmediate(() => this.#drain());
    if (!this.referenced) this.wake.unref();
  }

  #drain() {
    this.wake = null;
    this.draining = true;
    try {
      for (let budget = 1024; budget > 0 && this.queued > 0 && !this.closed; budget--) {
        const slot = this.slots[this.head];
        const length = this.lengths[this.head];
        this.head = (this.head + 1) % SLOTS;
        this.queued--;
        this.data.set(slot.subarray(0, length), 0);
        this.data.set(slot.subarray(12, 16), length); // the source address, after the bytes
        const m = this.meta;
        m.fill(0, 0, L.stride);
        m[L.length] = length;
        m[L.wireLength] = length;
        m[L.ttl] = -1;
        m[L.recvNs] = nowNs();
        m[L.addrOffset] = length;
        m[L.offenderOffset] = -1;
        this.onBatch(this.data, this.meta, 1, 0);
      }
    } finally {
      this.draining = false;
    }
    if (this.queued > 0 && !this.closed && this.wake === null) this.#arm();
  }

  sendBatch() {
    throw new Error('the echo stand-in sends one probe at a time');
  }
  close() {
    this.closed = true;
    if (this.wake !== null) clearImmediate(this.wake);
  }
  ref() {
    this.referenced = true;
    this.wake?.ref();
  }
  unref() {
    this.referenced = false;
    this.wake?.unref();
  }
  localAddress() {
    return { address: '0.0.0.0', port: 0 };
  }
  setTtl() {}
  setTos() {}
  setBroadcast() {}
  bind() {}
  bindDevice() {}
  setTypeFilter() {}
  attachFilter() {}
  setMaxPacketSize() {}
  setInheritable() {}
  // No kernel queue: as large as asked, and nothing ever dropped.
  receiveBuffer() {
    return this.receiveBytes ?? 212992;
  }
  setReceiveBuffer(bytes) {
    this.receiveBytes = bytes * 2;
    return this.receiveBytes;
  }
  kernelDrops() {
    return 0;
  }
  drain() {
    if (!this.draining && this.queued > 0) this.#drain();
  }
}

module.exports = { ...real, IcmpSocket };
