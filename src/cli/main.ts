#!/usr/bin/env node
// The rawping command. Only this directory prints or sets the exit status.
import { runCli } from './run-cli.js';

runCli(process.argv.slice(2)).then(
  (status) => process.exit(status),
  (error: unknown) => {
    // Nothing should get here; if something does, one line and status 2, never a trace.
    process.stderr.write(`rawping: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
