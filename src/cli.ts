#!/usr/bin/env node
// The keystore-mock command. The build bundles the CLI into dist/cli-bundle.js with a V8 code
// cache beside it: loading that pair skips resolving and compiling some 280 modules, which is
// most of the start-up time. Without a bundle (running from src) the modules load one by one.
import path from 'node:path';
import { loadBundle } from './cli/load-bundle';

type CliBundle = typeof import('./cli/bundle-entry');

const bundled = loadBundle<CliBundle>(path.join(__dirname, 'cli-bundle.js'));
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module-by-module fallback, loaded only without a bundle
const cli: CliBundle = bundled?.exports ?? (require('./cli/bundle-entry') as CliBundle);

cli.runCli(process.argv.slice(2), process.env).catch((error: unknown) => {
  process.stderr.write(`keystore-mock: could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
