// Spawn to first 200: how long `node dist/cli.js` takes from process spawn to its first 200 on
// GET /__mock/health, beside bare Express 5 (spawn to the first 200 on GET /), the floor of
// starting Node and loading the framework. Shared by `npm run bench` and `npm run bench:startup`.
'use strict';

const path = require('node:path');
const { round } = require('./results-file');
const { BASELINES, freePort, mockArgs, spawnNode, stopServer, waitFor200 } = require('./servers');

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

/** The middle value (the mean of the two middle ones for an even count). */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * The median spawn-to-first-200 of the mock and of bare Express over `runs` runs each,
 * interleaved so that a burst of load from elsewhere on the machine hits both alike;
 * readiness is polled every 5 ms with a raw http.get on a fresh socket.
 *
 * @example
 * const { keystoreMock, bareExpress, ratio } = await spawnTimes(5, console.log);
 */
async function spawnTimes(runs, log = () => {}) {
  const samples = { 'keystore-mock': [], 'bare-express': [] };
  for (let run = 1; run <= runs; run += 1) {
    for (const name of Object.keys(samples)) samples[name].push(await timeToFirst200(name));
    log(
      `  spawn run ${run}/${runs}: ${Object.entries(samples)
        .map(([name, values]) => `${name} ${values.at(-1).toFixed(1)} ms`)
        .join(', ')}`,
    );
  }
  const mockMs = median(samples['keystore-mock']);
  const expressMs = median(samples['bare-express']);
  return {
    runs,
    keystoreMock: { medianMs: round(mockMs), samplesMs: samples['keystore-mock'].map((value) => round(value)) },
    bareExpress: { medianMs: round(expressMs), samplesMs: samples['bare-express'].map((value) => round(value)) },
    ratio: round(mockMs / expressMs),
  };
}

module.exports = { spawnTimes, median };
