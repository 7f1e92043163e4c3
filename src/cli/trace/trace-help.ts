import { helpLines } from '../../options/option-docs.js';

/** The text of `rawping trace -h`: usage, the option table's trace rows, what the columns say, the exit status. */
export function traceHelpText(): string {
  return [
    '',
    'Usage',
    '  rawping trace [options] <destination>',
    '',
    'Traces the path to <destination> as mtr does: rounds of echo requests with increasing',
    'TTL / hop limit, each answer matched to its probe, figures per hop. Works as root, with',
    'CAP_NET_RAW, or unprivileged through ICMP datagram sockets (net.ipv4.ping_group_range).',
    '',
    'Options (times in seconds):',
    '  <destination>         host name or IP address',
    ...helpLines('trace'),
    '',
    'Columns: Loss% is loss on the path (what this hop and every hop after it lost), Snt the',
    "probes sent (a router gets no more than Linux's default ICMP rate limit lets it answer: a",
    'burst of 6, then one a second), Lim those it left unanswered while the hops after it',
    'answered (its rate limit, or a filter: not loss), Last/Avg/Best/Wrst/StDev/Jitter in ms.',
    '',
    'Exit status: 0 when the destination answered, 1 when it did not, 2 for any other error.',
    '',
  ].join('\n');
}
