/**
 * npm run bench:startup: how long the built keystore-mock takes from process spawn to its first
 * 200 on GET /__mock/health (loading and compiling two OpenAPI documents, fixtures, scenarios),
 * beside the same figure for bare Express (spawn to the first 200 on GET /), which is the floor
 * of starting Node and loading Express. `npm run bench` measures the same as part of its run.
 *
 * The median of RUNS runs each (env STARTUP_RUNS, default 5), interleaved so that a burst of
 * load from elsewhere on the machine hits both servers alike. Writes bench/results.json under
 * "startup".
 */
'use strict';

const { saveSection } = require('./lib/results-file');
const { requireBuild } = require('./lib/servers');
const { spawnTimes } = require('./lib/spawn-timing');

const RUNS = Number(process.env.STARTUP_RUNS || 5);

async function main() {
  requireBuild();
  const figures = await spawnTimes(RUNS, console.log);
  console.log(`\nspawn to first 200, median of ${RUNS}:`);
  console.log(`  keystore-mock (GET /__mock/health)  ${figures.keystoreMock.medianMs.toFixed(1)} ms`);
  console.log(`  bare-express  (GET /)               ${figures.bareExpress.medianMs.toFixed(1)} ms`);
  console.log(`  ratio                               ${figures.ratio.toFixed(2)}x`);
  console.log(`written to ${saveSection('startup', figures)}`);
}

main().catch((error) => {
  console.error(`bench:startup failed: ${error.stack ?? error}`);
  process.exit(1);
});
