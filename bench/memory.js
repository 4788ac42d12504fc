/**
 * npm run bench:memory: the resident memory of the built keystore-mock at start, after storing
 * COUNT keystores with 3 KB files (env MEMORY_KEYSTORES, default 10,000, half in MyProject and
 * half in OtherProject, so the default limit of 10,000 per project holds), and after deleting
 * them all. It shows what a stored keystore costs and whether deleting gives the memory back.
 *
 * RSS is read from outside, from /proc/<pid>/status (Linux only), as the lowest of the readings
 * over a second. The figure "stored" is read right after the creates, before the script lists
 * both projects to check the count: those two lists are 15 MB of JSON each, garbage the figure
 * after them shows on its own line. After the deletes, RSS is followed for up to SETTLE_SECONDS
 * (env MEMORY_SETTLE_SECONDS, default 30) while the mock idles: "right after" is the lowest
 * reading of the first 2 s, "settled" the lowest of all, with when it was first seen (V8 hands
 * memory back once it sees the process idle, some 10 s later). Creates and deletes run 50 at a
 * time over a keep-alive agent. Writes bench/results.json under "memory".
 *
 * With MEMORY_FORCE_GC=1 the mock runs under `node --expose-gc -r bench/lib/gc-on-signal.js`,
 * and each reading is preceded by a forced collection that also reports the live heap: the
 * figure that tells data still held from garbage not yet collected. Off by default, so the
 * plain figures are those of the mock as users run it.
 *
 * MEMORY_NODE_OPTIONS (for example `--max-semi-space-size=16`) is given to the mock alone as
 * NODE_OPTIONS, the start-time way to bound V8's heap that the README recommends; its figures
 * are written under "memoryWithNodeOptions", so a run with and a run without sit side by side.
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
/** How long to follow RSS after the deletes: V8 gives memory back only once it sees the process idle. */
const SETTLE_SECONDS = Number(process.env.MEMORY_SETTLE_SECONDS || 30);
/** The "right after the deletes" reading covers this much of the watch. */
const RIGHT_AFTER_SECONDS = 2;
const FORCE_GC = process.env.MEMORY_FORCE_GC === '1';
const GC_NODE_ARGS = ['--expose-gc', '-r', path.join(__dirname, 'lib', 'gc-on-signal.js')];
const IN_FLIGHT = 50;
const PROJECTS = ['MyProject', 'OtherProject'];
const NODE_OPTIONS = process.env.MEMORY_NODE_OPTIONS ?? '';

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

/**
 * Follows RSS for `seconds`, every 200 ms: the lowest reading of the first RIGHT_AFTER_SECONDS,
 * and the lowest of all with the second it was first seen.
 */
async function followRss(child, seconds) {
  const started = Date.now();
  let rightAfter = Infinity;
  let settled = { rss: Infinity, atSeconds: 0 };
  while (Date.now() - started < seconds * 1000) {
    await sleep(200);
    const rss = rssMb(child.pid);
    const atSeconds = (Date.now() - started) / 1000;
    if (atSeconds <= RIGHT_AFTER_SECONDS) rightAfter = Math.min(rightAfter, rss);
    if (rss < settled.rss) settled = { rss, atSeconds };
  }
  return { rightAfter: { rss: rightAfter }, settled };
}

/** Stores COUNT keystores, then deletes them, reading memory at start, when full and when empty. */
async function measure(mock) {
  await call(mock.port, 'GET', '/__mock/health');
  const atStart = await reading(mock.child, 1);
  const keystores = plannedKeystores();

  await createAll(mock.port, keystores);
  const stored = await reading(mock.child, 1);
  const count = await storedCount(mock.port);
  if (count !== COUNT) throw new Error(`the mock holds ${count} keystores after ${COUNT} successful creates`);
  const afterListing = await reading(mock.child, 1);

  await deleteAll(mock.port, keystores);
  const left = await storedCount(mock.port);
  if (left !== 0) throw new Error(`the mock still holds ${left} keystores after deleting all ${COUNT}`);
  const heapUsedMb = FORCE_GC ? await forceGc(mock.child) : undefined;
  const { rightAfter, settled } = await followRss(mock.child, SETTLE_SECONDS);
  return { atStart, stored, afterListing, afterDeletes: { ...rightAfter, heapUsedMb }, settled };
}

function describe(figure) {
  const heap =
    figure.heapUsedMb === undefined ? '' : `, live heap ${figure.heapUsedMb.toFixed(1)} MB after a forced GC`;
  return `${figure.rss.toFixed(1)} MB RSS${heap}`;
}

async function main() {
  requireBuild();
  const env = NODE_OPTIONS === '' ? {} : { NODE_OPTIONS };
  const mock = await startMock(['--seed', '1'], FORCE_GC ? GC_NODE_ARGS : [], env);
  let figures;
  try {
    figures = await measure(mock);
  } finally {
    closeClient();
    await stopServer(mock.child);
  }

  const { atStart, stored, afterListing, afterDeletes, settled } = figures;
  const payloadMb = (COUNT * FILE_3KB.length) / 1024 / 1024;
  const perKeystoreKb = ((stored.rss - atStart.rss) * 1024) / COUNT;
  const how = [FORCE_GC ? 'forced GC' : '', NODE_OPTIONS === '' ? '' : `NODE_OPTIONS=${NODE_OPTIONS}`].filter(Boolean);
  console.log(
    `memory of keystore-mock (RSS from /proc/${mock.child.pid}/status${how.map((text) => `, ${text}`).join('')}):`,
  );
  const rows = [
    ['at start', describe(atStart)],
    [`${COUNT} keystores stored (3 KB files)`, describe(stored)],
    ['after listing them to check the count', describe(afterListing)],
    ['right after deleting them all', `${describe(afterDeletes)} (lowest RSS over ${RIGHT_AFTER_SECONDS} s)`],
    [
      'settled, idle after the deletes',
      `${describe(settled)} (lowest RSS over ${SETTLE_SECONDS} s, first at ${settled.atSeconds.toFixed(1)} s)`,
    ],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  for (const [label, text] of rows) console.log(`  ${`${label}:`.padEnd(width)} ${text}`);
  console.log(`  base64 stored: ${payloadMb.toFixed(1)} MB; RSS growth per keystore: ${perKeystoreKb.toFixed(1)} KB`);
  const heap = (figure) => (figure.heapUsedMb === undefined ? undefined : round(figure.heapUsedMb, 1));
  const file = saveSection(NODE_OPTIONS === '' ? 'memory' : 'memoryWithNodeOptions', {
    nodeOptions: NODE_OPTIONS === '' ? undefined : NODE_OPTIONS,
    keystores: COUNT,
    fileBase64Chars: FILE_3KB.length,
    forcedGc: FORCE_GC,
    rssMb: {
      atStart: round(atStart.rss, 1),
      stored: round(stored.rss, 1),
      afterListing: round(afterListing.rss, 1),
      rightAfterDeletes: round(afterDeletes.rss, 1),
      settledAfterDeletes: round(settled.rss, 1),
    },
    settledAfterSeconds: round(settled.atSeconds, 1),
    heapUsedMbAfterGc: FORCE_GC
      ? {
          atStart: heap(atStart),
          stored: heap(stored),
          afterListing: heap(afterListing),
          afterDeletes: heap(afterDeletes),
        }
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
