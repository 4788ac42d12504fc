/**
 * npm run bench:startup: how long the built keystore-mock takes from process spawn to its first
 * 200 on GET /__mock/health (loading and compiling two OpenAPI documents, fixtures, scenarios),
 * beside the same figure for bare Express (spawn to the first 200 on GET /), which is the floor
 * of starting Node and loading Express. This is the wait a test suite pays per mock it starts.
 *
 * The median of RUNS runs each (env STARTUP_RUNS, default 5), interleaved so that a burst of
 * load from elsewhere on the machine hits both servers alike. The time is taken with
 * process.hrtime.bigint; readiness is polled every 5 ms with a raw http.get on a fresh socket.
 * Writes bench/results.json under "startup".
 */
'use strict';

const path = require('node:path');
const { saveSection, round } = require('./lib/results-file');
const { BASELINES, requireBuild, freePort, mockArgs, spawnNode, stopServer, waitFor200 } = require('./lib/servers');

const RUNS = Number(process.env.STARTUP_RUNS || 5);

const SERVERS = {
  'keystore-mock': { args: (port) => mockArgs(port), env: () => ({}), readyPath: '/__mock/health' },
  'bare-express': {
    args: () => [path.join(BASELINES, 'bare-express.js')],
    env: (port) => ({ PORT: String(port) }),
    readyPath: '/',
  },
};

/** Milliseconds from spawn to the first 200 on the server's ready path; stops the server afterwards. */
async function timeToFirst200(name) {
  const server = SERVERS[name];
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawnNode(name, server.args(port), server.env(port));
  try {
    await waitFor200(child, port, server.readyPath, { everyMs: 5 });
    return Number(process.hrtime.bigint() - started) / 1e6;
  } finally {
    await stopServer(child);
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function main() {
  requireBuild();
  const samples = { 'keystore-mock': [], 'bare-express': [] };
  for (let run = 1; run <= RUNS; run += 1) {
    for (const name of Object.keys(samples)) samples[name].push(await timeToFirst200(name));
    console.log(
      `run ${run}/${RUNS}: ${Object.entries(samples)
        .map(([name, values]) => `${name} ${values.at(-1).toFixed(1)} ms`)
        .join(', ')}`,
    );
  }
  const mockMs = median(samples['keystore-mock']);
  const expressMs = median(samples['bare-express']);
  console.log(`\nspawn to first 200, median of ${RUNS}:`);
  console.log(`  keystore-mock (GET /__mock/health)  ${mockMs.toFixed(1)} ms`);
  console.log(`  bare-express  (GET /)               ${expressMs.toFixed(1)} ms`);
  console.log(`  ratio                               ${(mockMs / expressMs).toFixed(2)}x`);
  const file = saveSection('startup', {
    runs: RUNS,
    keystoreMock: { medianMs: round(mockMs), samplesMs: samples['keystore-mock'].map((value) => round(value)) },
    bareExpress: { medianMs: round(expressMs), samplesMs: samples['bare-express'].map((value) => round(value)) },
    ratio: round(mockMs / expressMs),
  });
  console.log(`written to ${file}`);
}

main().catch((error) => {
  console.error(`bench:startup failed: ${error.stack ?? error}`);
  process.exit(1);
});
