/** The text of `rawping -h`. */
export const HELP_TEXT = `
Usage
  rawping [options] <destination>
  rawping [options] <destination> <destination>...   (many targets, as fping)
  rawping [options] --generate <cidr | start end>    (a range of targets)

Options (as iputils ping; times in seconds):
  <destination>        host name or IP address
  -4, --ipv4           use IPv4 only
  -6, --ipv6           use IPv6 only
  -A, --adaptive       adaptive interval: send when the last reply came
  -b, --broadcast      allow pinging a broadcast or multicast address
  -c, --count <n>      stop after <n> replies (with -w) or probes (default: until Ctrl-C;
                       1 with several targets)
  -D, --timestamp      print a timestamp before each line
  -f, --flood          flood ping (root or CAP_NET_RAW only)
  -h, --help           print this help and exit
  -H, --reverse-dns    show the names of the hosts that answer (reverse DNS)
  -i, --interval <s>   seconds between probes of a target (default 1; at least 0.002
                       without privilege)
  -I, --interface <i>  send from this interface name or source address
  -l, --preload <n>    send <n> probes at once at the start (at most 3 without privilege)
  -n, --numeric        no name lookups for addresses (the default; kept for ping users)
  -O, --report-outstanding
                       report probes with no answer before the next is sent
  -p, --pattern <hex>  fill the payload with up to 16 bytes of this hex pattern
  -q, --quiet          print only the header and the statistics
  -Q, --tos <tos>      IP type of service / IPv6 traffic class (0-255, or 0x hex)
  -s, --size <bytes>   payload bytes (default 56; at most 65507 for IPv4, 65527 for IPv6)
  -t, --ttl <ttl>      IP time to live / hop limit (1-255)
  -v, --verbose        say more (socket kind, identifier, ignored packets)
  -V, --version        print the version and exit
  -w, --deadline <s>   stop after <s> seconds whatever happens
  -W, --timeout <s>    seconds to wait for a reply (default 10; 1 with several targets)
      --json           print NDJSON events (one JSON object per line) instead of text
      --mode <m>       socket kind: auto (default), raw or dgram

Many targets (as fping):
  -g, --generate <cidr> | <start> <end>
                       ping a range of addresses (at most 131072)
      --file <path>    read targets from a file, one per line ("-" for stdin)
      --alive          print only the targets that answered
      --unreachable    print only the targets that did not answer
      --rate <pps>     most probes per second in all (default 1000; 0: as fast as the
                       socket takes, for your own hosts only)
      --retries <n>    extra probes before a target counts as unreachable (default 0)
      --backoff <f>    factor by which the wait grows before each retry (default 1.5)

Exit status: 0 when a reply came (every target answered, with several targets),
1 when none came (or some target did not answer), 2 for any other error.
`;
