// Layout of the batches IcmpSocket hands to JavaScript: one Buffer of bytes and one
// Float64Array of metadata, kMetaStride numbers per packet. src/os/icmp-socket.ts
// reads these numbers from the addon (batchLayout), so the two cannot disagree.
#pragma once

#include <cstddef>

namespace rawping {

constexpr int kMetaStride = 16;
constexpr int kMetaDataOffset = 0;       // packet bytes start here in the Buffer
constexpr int kMetaLength = 1;           // bytes stored
constexpr int kMetaWireLength = 2;       // bytes the kernel had (more than stored = truncated)
constexpr int kMetaFlags = 3;            // kFlag* bits
constexpr int kMetaTtl = 4;              // TTL / hop limit from a control message, -1 if none
constexpr int kMetaRecvNs = 5;           // kernel receive stamp, CLOCK_MONOTONIC nanoseconds
constexpr int kMetaAddrOffset = 6;       // 16-byte source address (IPv4 in the first 4)
constexpr int kMetaScopeId = 7;          // IPv6 scope id of the source
constexpr int kMetaErrno = 8;            // error queue only: sock_extended_err fields
constexpr int kMetaOrigin = 9;
constexpr int kMetaType = 10;
constexpr int kMetaCode = 11;
constexpr int kMetaInfo = 12;
constexpr int kMetaOffenderOffset = 13;  // 16-byte address of the host that sent the error, or -1
constexpr int kMetaSentAfter = 14;       // queueSends: the stamp of the datagram sent on this one, -errno, or 0
constexpr int kMetaBatchSent = 15;       // batch report: how many of the batch went (its stamp is kMetaRecvNs, a failure's errno kMetaErrno)

constexpr int kFlagTruncated = 1;
constexpr int kFlagErrorQueue = 2;
constexpr int kFlagSendReport = 4;  // no datagram: only what became of a queued one sent on request (kMetaSentAfter)
constexpr int kFlagSendOwed = 8;    // nothing was queued to send on this datagram: one goes as soon as one is
constexpr int kFlagSendWithheld = 16;  // the send due on this datagram was withheld, as JavaScript asked (withholdSends)
constexpr int kFlagBatchReport = 32;   // no datagram: what became of a batch given to sendBatchOnThread, in the order given

// At most this many packets are handed to JavaScript per wake-up, so a flood of ICMP cannot
// starve timers: the rest stays queued in the kernel and level-triggered polling comes back.
// The staging arrays JavaScript passes to start() are sized from this.
constexpr size_t kMaxPacketsPerWake = 1024;

}  // namespace rawping
