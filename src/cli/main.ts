// The rawping command. Only this directory prints or sets the exit status. The bin that runs
// it (dist/cli/main.cjs, with its node flags) is scripts/cli-launcher.cjs.
import { exitNow } from '../os/process-powers.js';
import { runCli } from './run-cli.js';

// _exit, so a libuv thread stuck in getaddrinfo cannot hold the process; under Node's
// profilers a normal exit, so they can write what they gathered.
const profiling = process.execArgv.some((a) => /^--(cpu|heap)-prof|^--prof$/.test(a));
// Without the addon (not built), exitNow cannot load either: then a normal exit.
const exit = (status: number): never => {
  if (!profiling) {
    try {
      exitNow(status);
    } catch {
      // fall through
    }
  }
  return process.exit(status);
};

runCli(process.argv.slice(2)).then(
  (status) => exit(status),
  (error: unknown) => {
    // Nothing should get here; if something does, one line and status 2, never a trace.
    process.stderr.write(`rawping: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    exit(2);
  },
);
