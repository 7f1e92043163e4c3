// A stand-in for build/Release/rawping.node that answers every echo request in-process, with
// no socket and no system call: the flood scenario runs rawping over it (RAWPING_ADDON) to
// measure what rawping's JavaScript costs per probe, apart from what the kernel costs.
// Everything but the socket class is the real addon's (capabilities, route check, random).
// The replies are delivered as the addon's Drain delivers them on loopback: the reply to a
// probe sent from inside a batch callback comes in the same wake-up, up to 1024 per wake-up,
// and datagrams queued with queueSends go one per reply read, in the same batch.
'use strict';
const { join } = require('node:path');

const real = require(join(__dirname, '..', '..', 'build', 'Release', 'rawping.node'));
const L = real.batchLayout;
const IPV4_HEADER = 20;
const SLOTS = 1024; // requests that can wait for their reply (a flood has one, -l n has n)
const L_MAX_BATCH = 64; // packets per batch, as the addon's recvmmsg slots

// The clock of send stamps and receive stamps, as the addon's: CLOCK_MONOTONIC nanoseconds
// (libuv's hrtime), the clock the pinger's own now() is on.
const nowNs = () => Number(process.hrtime.bigint());

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
    this.ahead = [];
    this.reports = [];
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
      // As the addon: replies go to JavaScript in batches of what is queued, and a datagram queued
      // with queueSends goes on each reply read (its own reply joins the same batch).
      for (let budget = 1024; budget > 0 && (this.queued > 0 || this.reports.length > 0) && !this.closed;) {
        let count = 0;
        let at = 0;
        const m = this.meta;
        // Reports of datagrams sent because one was owed (kick) come first, each a record alone.
        for (const stamp of this.reports.splice(0)) {
          const r = count * L.stride;
          m.fill(0, r, r + L.stride);
          m[r + L.dataOffset] = at + 16;
          m[r + L.addrOffset] = at;
          m[r + L.ttl] = -1;
          m[r + L.offenderOffset] = -1;
          m[r + L.flags] = L.flagSendReport;
          m[r + L.sentAfter] = stamp;
          this.data.fill(0, at, at + 16);
          at += 16;
          count++;
        }
        while (this.queued > 0 && budget > 0 && count < L_MAX_BATCH && at + 84 + 16 <= this.data.length) {
          const slot = this.slots[this.head];
          const length = this.lengths[this.head];
          if (at + length + 16 > this.data.length) break;
          this.head = (this.head + 1) % SLOTS;
          this.queued--;
          budget--;
          this.data.set(slot.subarray(0, length), at);
          this.data.set(slot.subarray(12, 16), at + length); // the source address, after the bytes
          const r = count * L.stride;
          m.fill(0, r, r + L.stride);
          m[r + L.dataOffset] = at;
          m[r + L.length] = length;
          m[r + L.wireLength] = length;
          m[r + L.ttl] = -1;
          m[r + L.recvNs] = nowNs();
          m[r + L.addrOffset] = at + length;
          m[r + L.offenderOffset] = -1;
          const next = this.ahead.shift();
          if (next !== undefined) m[r + L.sentAfter] = this.send(next);
          at += length + 16;
          count++;
        }
        if (count === 0) break;
        this.onBatch(this.data, this.meta, count, 0);
      }
    } finally {
      this.draining = false;
    }
    if (this.queued > 0 && !this.closed && this.wake === null) this.#arm();
  }

  // As the addon's receive thread: queued datagrams go one per reply read, `kick` of them at once.
  queueSends(packets, length, count, _address, _scopeId, _notAfterNs, kick) {
    for (let i = 0; i < count; i++) this.ahead.push(packets.slice(i * length, (i + 1) * length));
    for (let i = 0; i < kick; i++) {
      const next = this.ahead.shift();
      if (next === undefined) break;
      this.reports.push(this.send(next));
    }
    if (this.reports.length > 0 && !this.draining && this.wake === null) this.#arm();
  }

  unqueueSends() {
    this.ahead = [];
    if (!this.draining && this.reports.length > 0) this.#drain();
    return this.draining ? this.reports.length : 0;
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
