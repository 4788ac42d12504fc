#!/usr/bin/env node
// The keystore-mock command: parses flags and environment, then starts the server.
import { runCli } from './cli/run-cli';

runCli(process.argv.slice(2), process.env).catch((error: unknown) => {
  process.stderr.write(`keystore-mock: could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
