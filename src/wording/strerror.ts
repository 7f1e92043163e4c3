// glibc's strerror texts (C locale) for the errno names rawping meets, so messages read
// like ping's ("connect: No route to host").
const TEXT: Readonly<Record<string, string>> = {
  EPERM: 'Operation not permitted',
  EACCES: 'Permission denied',
  EINVAL: 'Invalid argument',
  ENOENT: 'No such file or directory',
  ENODEV: 'No such device',
  ENXIO: 'No such device or address',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
  ENETDOWN: 'Network is down',
  EADDRNOTAVAIL: 'Cannot assign requested address',
  EADDRINUSE: 'Address already in use',
  EAFNOSUPPORT: 'Address family not supported by protocol',
  EPROTONOSUPPORT: 'Protocol not supported',
  EMSGSIZE: 'Message too long',
  ENOBUFS: 'No buffer space available',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  ECONNREFUSED: 'Connection refused',
  EBADF: 'Bad file descriptor',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
};

/** The C-locale strerror text for an errno name, or the name itself when unknown. */
export function strerror(code: string): string {
  return TEXT[code] ?? code;
}
