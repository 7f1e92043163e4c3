/**
 * The warning for datagrams the kernel discarded at a full receive queue during a run (the
 * count from SocketSet.kernelDrops()), without the "rawping: " prefix. The kernel's count is
 * an upper bound on the replies lost: it may include other programs' datagrams, and some
 * kernels count one datagram twice.
 */
export function kernelDropsWarning(dropped: number): string {
  return (
    `warning: the kernel dropped ${dropped} datagram${dropped === 1 ? '' : 's'} at a full receive queue ` +
    "(its own count, an upper bound): some of the loss reported may be this machine's, not the network's"
  );
}
