// Run by bench/lib/programmatic-timing.js in a fresh Node process: what a jest user's suite pays
// for keystore-mock. It loads the built package by its own name (as a user's test file imports
// it), then times startMockServer() the first time in the process, startMockServer() again
// (each server closed before the next, untimed), and reset() of a session that holds keystores.
// Prints one JSON line of milliseconds on stdout.
'use strict';

const { callExpecting, closeClient } = require('./http-client');
const { JSON_AUTH, keystoreBody, keystoresPath } = require('./keystore-requests');

const SUBSEQUENT = Number(process.env.PROGRAMMATIC_SUBSEQUENT || 10);
const RESETS = Number(process.env.PROGRAMMATIC_RESETS || 50);
const STORED_BEFORE_RESET = 5;

const since = (started) => Number(process.hrtime.bigint() - started) / 1e6;

/** Stores `count` keystores in the default session over HTTP, so reset() has something to drop. */
async function storeKeystores(port, round, count) {
  for (let index = 0; index < count; index += 1) {
    await callExpecting(200, port, 'POST', keystoresPath('MyProject'), {
      headers: JSON_AUTH,
      body: keystoreBody(`reset-${round}-${index}`),
    });
  }
}

async function main() {
  const importStarted = process.hrtime.bigint();
  // Loaded here, not at the top, so that loading is timed on its own.
  const { startMockServer } = require('keystore-mock');
  const importMs = since(importStarted);

  const firstStarted = process.hrtime.bigint();
  const first = await startMockServer();
  const firstCallMs = since(firstStarted);
  await callExpecting(200, first.port, 'GET', '/__mock/health');
  await first.close();

  const subsequentMs = [];
  for (let index = 0; index < SUBSEQUENT; index += 1) {
    const started = process.hrtime.bigint();
    const server = await startMockServer();
    subsequentMs.push(since(started));
    await server.close();
  }

  const server = await startMockServer();
  const resetMs = [];
  try {
    for (let round = 0; round < RESETS; round += 1) {
      await storeKeystores(server.port, round, STORED_BEFORE_RESET);
      const started = process.hrtime.bigint();
      await server.reset();
      resetMs.push(since(started));
      const left = (await server.state()).MyProject?.length;
      if (left !== 0) throw new Error(`reset() left ${left} keystores in MyProject`);
    }
  } finally {
    closeClient();
    await server.close();
  }
  process.stdout.write(`${JSON.stringify({ importMs, firstCallMs, subsequentMs, resetMs })}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
