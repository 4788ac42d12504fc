/**
 * npm run bench:memory: the resident memory of the built keystore-mock at start, after storing
 * COUNT keystores with 3 KB files (env MEMORY_KEYSTORES, default 10,000, half in MyProject and
 * half in OtherProject, so the default limit of 10,000 per project holds), and after deleting
 * them all. It shows what a stored keystore costs and whether deleting gives the memory back.
 *
 * RSS is read from outside, from /proc/<pid>/status (Linux only); the mock has no hook to force
 * a garbage collection, so after the deletes the script lets the process idle and keeps the
 * lowest of several readings over about 2 s. Creates and deletes run 50 at a time over a
 * keep-alive agent. Writes bench/results.json under "memory".
 *
 * With MEMORY_FORCE_GC=1 the mock runs under `node --expose-gc -r bench/lib/gc-on-signal.js`,
 * and each reading is preceded by a forced collection that also reports the live heap: the
 * figure that tells data still held from garbage not yet collected. Off by default, so the
 * plain figures are those of the mock as users run it.
 */
'use strict';

const path = require('node:path');
const { setTimeout, clearTimeout } = require('node:timers');
const { setTimeout: sleep } = require('node:timers/promises');
const { JSON_AUTH, AUTH, FILE_3KB, keystoreBody, keystoresPath, keystorePath } = require('./lib/keystore-requests');
const { call, callExpecting, forEachBounded, closeClient } = require('./lib/http-client');
const { saveSection, round } = require('./lib/results-file');
const { requireBuild, startMock, stopServer, rssMb } = require('./lib/servers');

const COUNT = Number(process.env.MEMORY_KEYSTORES || 10_000);
/** How long to watch RSS after the deletes: V8 gives memory back only once it sees the process idle. */
const SETTLE_SECONDS = Number(process.env.MEMORY_SETTLE_SECONDS || 2);
const FORCE_GC = process.env.MEMORY_FORCE_GC === '1';
const GC_NODE_ARGS = ['--expose-gc', '-r', path.join(__dirname, 'lib', 'gc-on-signal.js')];
const IN_FLIGHT = 50;
const PROJECTS = ['MyProject', 'OtherProject'];

/** The keystores to store: `memory-1` .. `memory-COUNT`, alternating between the two projects. */
function plannedKeystores() {
  return Array.from({ length: COUNT }, (_, index) => ({
    project: PROJECTS[index % PROJECTS.length],
    name: `memory-${index + 1}`,
  }));
}

/** Asks the preloaded gc-on-signal.js to collect; resolves to the live heap in MB it reports. */
function forceGc(child) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error('no answer from gc-on-signal.js within 5 s')), 5000);
    const onData = (chunk) => {
      seen += chunk;
      const match = /heapUsedMb=([\d.]+)/.exec(seen);
      if (match === null) return;
      clearTimeout(timer);
      child.stderr.off('data', onData);
      resolve(Number(match[1]));
    };
    child.stderr.on('data', onData);
    child.kill('SIGUSR2');
  });
}

/**
 * The lowest RSS seen over `seconds`, read every 200 ms: a quiet process's settled figure.
 * With MEMORY_FORCE_GC=1, collects first and also returns the live heap.
 */
async function reading(child, seconds) {
  const heapUsedMb = FORCE_GC ? await forceGc(child) : undefined;
  let rss = Infinity;
  for (let index = 0; index < seconds * 5; index += 1) {
    await sleep(200);
    rss = Math.min(rss, rssMb(child.pid));
  }
  return { rss, heapUsedMb };
}

/** How many keystores the mock holds, summed over the projects' lists. */
async function storedCount(port) {
  let total = 0;
  for (const project of PROJECTS) {
    const { body } = await callExpecting(200, port, 'GET', keystoresPath(project), { headers: AUTH });
    total += body.resultCount;
  }
  return total;
}

async function createAll(port, keystores) {
  await forEachBounded(keystores, IN_FLIGHT, ({ project, name }) =>
    callExpecting(200, port, 'POST', keystoresPath(project), { headers: JSON_AUTH, body: keystoreBody(name) }),
  );
}

async function deleteAll(port, keystores) {
  await forEachBounded(keystores, IN_FLIGHT, ({ project, name }) =>
    callExpecting(200, port, 'DELETE', keystorePath(project, name), { headers: AUTH }),
  );
}

/** Stores COUNT keystores, then deletes them, reading memory at start, when full and when empty. */
async function measure(mock) {
  await call(mock.port, 'GET', '/__mock/health');
  const atStart = await reading(mock.child, 1);
  const keystores = plannedKeystores();

  await createAll(mock.port, keystores);
  const stored = await storedCount(mock.port);
  if (stored !== COUNT) throw new Error(`the mock holds ${stored} keystores after ${COUNT} successful creates`);
  const afterCreates = await reading(mock.child, 1);

  await deleteAll(mock.port, keystores);
  const left = await storedCount(mock.port);
  if (left !== 0) throw new Error(`the mock still holds ${left} keystores after deleting all ${COUNT}`);
  const afterDeletes = await reading(mock.child, SETTLE_SECONDS);
  return { atStart, afterCreates, afterDeletes };
}

function describe(figure) {
  const heap =
    figure.heapUsedMb === undefined ? '' : `, live heap ${figure.heapUsedMb.toFixed(1)} MB after a forced GC`;
  return `${figure.rss.toFixed(1)} MB RSS${heap}`;
}

async function main() {
  requireBuild();
  const mock = await startMock(['--seed', '1'], FORCE_GC ? GC_NODE_ARGS : []);
  let figures;
  try {
    figures = await measure(mock);
  } finally {
    closeClient();
    await stopServer(mock.child);
  }

  const { atStart, afterCreates, afterDeletes } = figures;
  const payloadMb = (COUNT * FILE_3KB.length) / 1024 / 1024;
  const perKeystoreKb = ((afterCreates.rss - atStart.rss) * 1024) / COUNT;
  console.log(`memory of keystore-mock (RSS from /proc/${mock.child.pid}/status${FORCE_GC ? ', forced GC' : ''}):`);
  const rows = [
    ['at start', describe(atStart)],
    [`after ${COUNT} creates (3 KB files)`, describe(afterCreates)],
    ['after deleting them all', `${describe(afterDeletes)} (lowest RSS over ${SETTLE_SECONDS} s)`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  for (const [label, text] of rows) console.log(`  ${`${label}:`.padEnd(width)} ${text}`);
  console.log(`  base64 stored: ${payloadMb.toFixed(1)} MB; RSS growth per keystore: ${perKeystoreKb.toFixed(1)} KB`);
  const heap = (figure) => (figure.heapUsedMb === undefined ? undefined : round(figure.heapUsedMb, 1));
  const file = saveSection('memory', {
    keystores: COUNT,
    fileBase64Chars: FILE_3KB.length,
    forcedGc: FORCE_GC,
    rssMb: {
      atStart: round(atStart.rss, 1),
      afterCreates: round(afterCreates.rss, 1),
      afterDeletes: round(afterDeletes.rss, 1),
    },
    heapUsedMbAfterGc: FORCE_GC
      ? { atStart: heap(atStart), afterCreates: heap(afterCreates), afterDeletes: heap(afterDeletes) }
      : undefined,
    payloadMb: round(payloadMb, 1),
    perKeystoreKb: round(perKeystoreKb, 1),
  });
  console.log(`written to ${file}`);
}

main().catch((error) => {
  console.error(`bench:memory failed: ${error.stack ?? error}`);
  process.exit(1);
});
