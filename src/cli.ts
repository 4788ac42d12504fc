#!/usr/bin/env node
// The keystore-mock command: parses flags and environment, then starts the server.
import module from 'node:module';

// Node 22.1 and later keep the compiled code of loaded modules between runs (a public,
// documented call; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so a second start loads faster.
module.enableCompileCache?.();

// Loaded after the cache is on, so the modules it brings in are cached too.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- ordered after enableCompileCache
const { runCli } = require('./cli/run-cli') as typeof import('./cli/run-cli');

runCli(process.argv.slice(2), process.env).catch((error: unknown) => {
  process.stderr.write(`keystore-mock: could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
