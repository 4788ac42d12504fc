// The last step of `npm run build`, after tsc: makes `node dist/cli.js` start fast.
//  1. Writes the fixture validators as Ajv standalone code, so start-up compiles no schema.
//  2. Bundles the CLI and everything it loads at start into dist/cli-bundle.js (esbuild), so
//     start-up resolves and reads one file instead of some 280 modules.
//  3. Starts the bundled server once on 127.0.0.1, asks /__mock/health, stops it, and records
//     V8's compiled code as dist/cli-bundle.code-cache, so start-up compiles almost nothing.
// dist/cli.js loads the pair (src/cli/load-bundle.ts); the cache is used only by the same Node
// version with the same V8 flags, and otherwise ignored at no cost but speed.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const esbuild = require('esbuild');

const DIST = path.resolve(__dirname, '..', 'dist');
// Compiled by tsc, the step before this one.
const { loadBundle, writeCodeCache, codeCachePath, buildLine } = require(path.join(DIST, 'cli', 'load-bundle.js'));
const BUNDLE = path.join(DIST, 'cli-bundle.js');
/**
 * Loaded on demand only (fake data, the Express app for supertest, pretty logs), or, for pino,
 * resolving its worker files next to its own modules: these stay in node_modules.
 */
const EXTERNAL = ['@faker-js/faker', 'express', 'pino', 'pino-pretty'];

function writePrecompiledValidators() {
  const { precompiledValidatorsSource } = require(path.join(DIST, 'fixtures', 'precompile-validators.js'));
  fs.writeFileSync(path.join(DIST, 'fixtures', 'precompiled-validators.js'), precompiledValidatorsSource());
}

function bundle() {
  fs.rmSync(codeCachePath(BUNDLE), { force: true });
  const result = esbuild.buildSync({
    entryPoints: [path.join(DIST, 'cli', 'bundle-entry.js')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  const hash = crypto.createHash('sha1').update(code).digest('hex');
  fs.writeFileSync(BUNDLE, code + buildLine(hash));
  return loadBundle(BUNDLE);
}

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      })
      .on('error', reject);
  });
}

/** Runs what `node dist/cli.js` runs before its first answer, then records the compiled code. */
async function recordCodeCache(loaded) {
  const { startMockServer } = loaded.exports;
  const server = await startMockServer({ port: 0, logLevel: 'silent', validateResponses: false });
  const status = await get(`${server.url}/__mock/health`);
  await server.close();
  if (status !== 200) throw new Error(`the bundled server answered ${status} on /__mock/health`);
  writeCodeCache(loaded, BUNDLE);
}

async function main() {
  writePrecompiledValidators();
  await recordCodeCache(bundle());
  fs.chmodSync(path.join(DIST, 'cli.js'), 0o755);
}

main().catch((error) => {
  console.error(`build-cli-bundle: ${error.stack ?? error}`);
  process.exit(1);
});
