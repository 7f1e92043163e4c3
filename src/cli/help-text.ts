import { helpLines } from '../options/option-docs.js';

/** The text of `rawping -h`: usage, then the option table's two sections, then the exit status. */
export function helpText(): string {
  return [
    '',
    'Usage',
    '  rawping [options] <destination>',
    '  rawping [options] <destination> <destination>...   (many targets, as fping)',
    '  rawping [options] --generate <cidr | start end>    (a range of targets)',
    '  rawping completion bash|zsh                        (a shell completion script; see man rawping)',
    '  rawping exporter [options] [host...]               (Prometheus metrics; see rawping exporter -h)',
    '',
    'Options (as iputils ping; times in seconds):',
    '  <destination>         host name or IP address',
    ...helpLines('ping'),
    '',
    'Many targets (as fping; each of these selects this mode, even for one target):',
    ...helpLines('sweep'),
    '',
    'Exit status: 0 when a reply came (every target answered, with several targets),',
    '1 when none came (or some target did not answer), 2 for any other error.',
    '',
  ].join('\n');
}
