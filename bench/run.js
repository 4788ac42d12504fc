/**
 * npm run bench: every speed figure of the README's Performance section, from one run.
 *
 * 1. Throughput and latency of the built keystore-mock (`node dist/cli.js`) on five cases
 *    (create, get one, list of 100, a validation failure, a create under partial-deploy-failure),
 *    beside a bare Express 5 app and a bare node:http server answering static JSON, measured
 *    with autocannon in the same run on the same machine. The ratios to bare Express say how
 *    much the mock's own work (routing, OpenAPI validation, auth, store, deployment) costs.
 * 2. Spawn of `node dist/cli.js` to its first 200 on /__mock/health, beside bare Express.
 * 3. For jest users, in fresh child processes: the first startMockServer() in a process,
 *    later calls, and reset().
 * Then each figure is set beside its target (see TARGETS) and the verdicts are printed.
 *
 * The servers run one after the other, never side by side, each on a free 127.0.0.1 port.
 * Each throughput case gets a warm-up run, then a measured run; the mock is reset between cases.
 * With `-- --store redis` it also starts a throwaway redis-server and runs create and get one
 * through `--store redis://...`, set beside the memory store of the same run (issue 13: at
 * least 0.5x the memory store, p99 at most 30 ms).
 * Env: BENCH_DURATION (seconds, default 10), BENCH_WARMUP (seconds, default 3),
 * BENCH_CONNECTIONS (default 50), STARTUP_RUNS (default 5), PROGRAMMATIC_RUNS (default 5).
 * Writes bench/results.json under "bench". Exits 1 when a server answered an unexpected status
 * or autocannon saw connection errors; a missed target is reported, not an error.
 */
'use strict';

const autocannon = require('autocannon');
const { FILE_3KB, JSON_AUTH, AUTH, keystoreBody, keystoresPath, keystorePath } = require('./lib/keystore-requests');
const { callExpecting, forEachBounded, closeClient } = require('./lib/http-client');
const { saveSection, round } = require('./lib/results-file');
const { requireBuild, startMock, startBaseline, stopServer } = require('./lib/servers');
const { spawnTimes } = require('./lib/spawn-timing');
const { programmaticTimes } = require('./lib/programmatic-timing');
const { startRedis } = require('./lib/redis-server');

const DURATION = Number(process.env.BENCH_DURATION || 10);
const WARMUP = Number(process.env.BENCH_WARMUP || 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 50);
const STARTUP_RUNS = Number(process.env.STARTUP_RUNS || 5);
const PROGRAMMATIC_RUNS = Number(process.env.PROGRAMMATIC_RUNS || 5);
const PROJECT = 'MyProject';
const GET_NAME = 'bench-get-one';
const MOCK_FLAGS = ['--seed', '1', '--max-keystores', '10000000'];
const STORE_ARGUMENT = process.argv.indexOf('--store');
const WITH_REDIS = STORE_ARGUMENT !== -1 && process.argv[STORE_ARGUMENT + 1] === 'redis';

/** Names `bench-1`, `bench-2`, ... shared by a server's warm-up and measured runs, so none repeats. */
function nameCounter() {
  let next = 0;
  return () => {
    next += 1;
    return `bench-${next}`;
  };
}

/** A POST of a new keystore whose name changes on every request (autocannon's setupRequest). */
function createRequest(nextName, { scenario, type = 'JKS' } = {}) {
  const [head, tail] = JSON.stringify(keystoreBody('@NAME@', { type })).split('@NAME@');
  const headers = scenario === undefined ? JSON_AUTH : { ...JSON_AUTH, 'X-Mock-Scenario': scenario };
  return {
    method: 'POST',
    path: keystoresPath(PROJECT),
    headers,
    setupRequest: (request) => {
      request.body = `${head}${nextName()}${tail}`;
      return request;
    },
  };
}

function getRequest(path) {
  return { method: 'GET', path, headers: AUTH };
}

async function resetMock(server) {
  await callExpecting(200, server.port, 'POST', '/__mock/reset');
}

/** Resets the mock, then stores `names` (3 KB files) so that get and list have something to read. */
async function resetWith(server, names) {
  await resetMock(server);
  await forEachBounded(names, 20, (name) =>
    callExpecting(200, server.port, 'POST', keystoresPath(PROJECT), { headers: JSON_AUTH, body: keystoreBody(name) }),
  );
}

/** The five cases on the mock; `method` says which baseline figure a case is compared with. */
function mockCases(nextName) {
  const hundred = Array.from({ length: 100 }, (_, index) => `bench-list-${index + 1}`);
  return [
    {
      id: 'create',
      label: 'create (unique name, 3 KB file)',
      method: 'POST',
      expect: 200,
      prepare: resetMock,
      request: createRequest(nextName),
    },
    {
      id: 'get-one',
      label: 'get one',
      method: 'GET',
      expect: 200,
      prepare: (server) => resetWith(server, [GET_NAME]),
      request: getRequest(keystorePath(PROJECT, GET_NAME)),
    },
    {
      id: 'list-100',
      label: 'list of 100 (3 KB files)',
      method: 'GET',
      expect: 200,
      prepare: (server) => resetWith(server, hundred),
      request: getRequest(keystoresPath(PROJECT)),
    },
    {
      id: 'validation-400',
      label: "validation failure (type 'JKX')",
      method: 'POST',
      expect: 400,
      prepare: resetMock,
      request: createRequest(nextName, { type: 'JKX' }),
    },
    {
      id: 'create-partial-failure',
      label: 'create, partial-deploy-failure',
      method: 'POST',
      expect: 200,
      prepare: resetMock,
      request: createRequest(nextName, { scenario: 'partial-deploy-failure' }),
    },
  ];
}

/** The baselines answer anything with a static 200, so they get the same GET and the same create POST. */
function baselineCases(nextName) {
  return [
    { id: 'GET', label: 'bare GET', method: 'GET', expect: 200, request: getRequest(keystorePath(PROJECT, GET_NAME)) },
    { id: 'POST', label: 'bare POST (create body)', method: 'POST', expect: 200, request: createRequest(nextName) },
  ];
}

/** One autocannon run; counts the responses whose status is not the expected one and keeps the first. */
async function drive(server, benchCase, seconds) {
  let unexpected = 0;
  let sample;
  const request = {
    ...benchCase.request,
    onResponse: (status, body) => {
      if (status === benchCase.expect) return;
      unexpected += 1;
      sample ??= `${status} ${body.slice(0, 300)}`;
    },
  };
  const result = await autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [request],
  });
  return { result, unexpected, sample };
}

/** Warm-up, then the measured run; returns the figures kept in results.json. */
async function measure(server, benchCase) {
  if (benchCase.prepare !== undefined) await benchCase.prepare(server);
  if (WARMUP > 0) await drive(server, benchCase, WARMUP);
  const { result, unexpected, sample } = await drive(server, benchCase, DURATION);
  return {
    requests: { average: round(result.requests.average), total: result.requests.total },
    latency: { p50: round(result.latency.p50), p99: round(result.latency.p99) },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    expectedStatus: benchCase.expect,
    unexpectedStatus: unexpected,
    firstUnexpected: sample,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
  };
}

/** Starts a server, runs its cases, stops it (SIGTERM and a clean exit), and returns figures by case id. */
async function benchServer(start, cases) {
  const server = await start();
  const figures = {};
  try {
    for (const benchCase of cases) {
      process.stdout.write(`  ${server.name}: ${benchCase.label} ...`);
      figures[benchCase.id] = await measure(server, benchCase);
      process.stdout.write(` ${figures[benchCase.id].requests.average} req/s\n`);
    }
  } finally {
    const exit = await stopServer(server.child);
    if (exit.code !== 0) console.error(`  ${server.name} exited with ${exit.code ?? exit.signal} after SIGTERM`);
  }
  return figures;
}

function ratio(value, base) {
  return base > 0 ? round(value / base) : null;
}

/** Adds to each mock case its req/s as a fraction of the baselines' for the same method. */
function addRatios(mock, express, bare) {
  for (const [id, figures] of Object.entries(mock.figures)) {
    const method = mock.cases.find((benchCase) => benchCase.id === id).method;
    figures.ratios = {
      toBareExpress: ratio(figures.requests.average, express[method].requests.average),
      toBareNodeHttp: ratio(figures.requests.average, bare[method].requests.average),
    };
  }
}

function printTable(rows) {
  const header = ['case', 'server', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'unexpected', 'x express', 'x node:http'];
  const lines = rows.map((row) => header.map((_, column) => String(row[column] ?? '-')));
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
  const format = (cells) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ');
  console.log(`\n${format(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}`);
  for (const line of lines) console.log(format(line));
}

function cells(f) {
  return [f.requests.average, f.latency.p50, f.latency.p99, f.non2xx, f.unexpectedStatus];
}

function tableRows(mockCasesList, mockFigures, serverFigures) {
  const rows = mockCasesList.map((benchCase) => {
    const f = mockFigures[benchCase.id];
    return [benchCase.label, 'keystore-mock', ...cells(f), f.ratios.toBareExpress, f.ratios.toBareNodeHttp];
  });
  for (const [server, figures] of Object.entries(serverFigures)) {
    for (const [method, f] of Object.entries(figures)) {
      rows.push([`bare ${method}`, server, ...cells(f)]);
    }
  }
  return rows;
}

/** One case's figures on each server; a baseline's are those of the same method. */
function caseResults(benchCase, byServer) {
  return {
    label: benchCase.label,
    method: benchCase.method,
    'keystore-mock': byServer['keystore-mock'][benchCase.id],
    'bare-express': byServer['bare-express'][benchCase.method],
    'bare-http': byServer['bare-http'][benchCase.method],
  };
}

/** Every run that saw a status it did not expect, or connection errors. */
function problemsOf(byServer) {
  const problems = [];
  for (const [server, figures] of Object.entries(byServer)) {
    for (const [id, f] of Object.entries(figures)) {
      if (f.unexpectedStatus > 0) {
        problems.push(
          `${server} ${id}: ${f.unexpectedStatus} responses were not ${f.expectedStatus}; first: ${f.firstUnexpected}`,
        );
      }
      if (f.errors > 0) problems.push(`${server} ${id}: ${f.errors} connection errors (${f.timeouts} timeouts)`);
    }
  }
  return problems;
}

/**
 * The targets of issue 10, each read from this run's figures: `value` is the figure, `limit`
 * the bound, `atLeast` whether the figure must reach the bound rather than stay under it.
 */
function targetsOf({ throughput, startup, programmatic }) {
  const mock = throughput['keystore-mock'];
  const express = throughput['bare-express'];
  return [
    {
      target: 'create req/s, x bare Express POST',
      value: ratio(mock.create.requests.average, express.POST.requests.average),
      limit: 0.8,
      atLeast: true,
    },
    {
      target: 'get req/s, x bare Express GET',
      value: ratio(mock['get-one'].requests.average, express.GET.requests.average),
      limit: 0.8,
      atLeast: true,
    },
    { target: `create p99 ms at ${CONNECTIONS} connections`, value: mock.create.latency.p99, limit: 30 },
    { target: `get p99 ms at ${CONNECTIONS} connections`, value: mock['get-one'].latency.p99, limit: 30 },
    { target: 'spawn to first health 200, ms', value: startup.keystoreMock.medianMs, limit: 400 },
    { target: 'spawn to first 200, x bare Express', value: startup.ratio, limit: 2 },
    { target: 'first startMockServer() in a process, ms', value: programmatic.firstCallMs.median, limit: 60 },
    { target: 'later startMockServer(), ms', value: programmatic.subsequentCallMs.median, limit: 15 },
    { target: 'reset(), ms', value: programmatic.resetMs.median, limit: 1 },
  ].map((row) => ({
    ...row,
    met: row.value !== null && (row.atLeast ? row.value >= row.limit : row.value <= row.limit),
  }));
}

function printTargets(targets) {
  const width = Math.max(...targets.map((row) => row.target.length));
  console.log('\ntargets (issue 10):');
  for (const row of targets) {
    const bound = `${row.atLeast ? '>=' : '<='} ${row.limit}`;
    console.log(
      `  ${row.target.padEnd(width)}  ${String(row.value).padStart(9)}  ${bound.padEnd(7)}  ${row.met ? 'met' : 'MISSED'}`,
    );
  }
}

/** Create and get one through a mock on a throwaway Redis on this host (`-- --store redis`). */
async function benchRedisStore(cases) {
  const redis = await startRedis();
  try {
    const redisCases = cases.filter((benchCase) => ['create', 'get-one'].includes(benchCase.id));
    const flags = [...MOCK_FLAGS, '--store', redis.url, '--store-namespace', 'bench'];
    const figures = await benchServer(
      async () => ({ ...(await startMock(flags)), name: 'keystore-mock (redis)' }),
      redisCases,
    );
    printTable(
      redisCases.map((benchCase) => [benchCase.label, 'keystore-mock (redis)', ...cells(figures[benchCase.id])]),
    );
    return { figures, unexpected: problemsOf({ 'keystore-mock (redis)': figures }) };
  } finally {
    await redis.stop();
  }
}

/** Issue 13's targets: through Redis, at least half the memory store's req/s, and p99 at most 30 ms. */
function redisTargetsOf(memory, redis) {
  return ['create', 'get-one']
    .flatMap((id) => [
      {
        target: `redis ${id} req/s, x memory store`,
        value: ratio(redis.figures[id].requests.average, memory[id].requests.average),
        limit: 0.5,
        atLeast: true,
      },
      { target: `redis ${id} p99 ms at ${CONNECTIONS} connections`, value: redis.figures[id].latency.p99, limit: 30 },
    ])
    .map((row) => ({
      ...row,
      met: row.value !== null && (row.atLeast ? row.value >= row.limit : row.value <= row.limit),
    }));
}

async function main() {
  requireBuild();
  console.log(`bench: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s measured per case`);
  const nextName = nameCounter();
  const cases = mockCases(nextName);
  const mock = { cases, figures: await benchServer(() => startMock(MOCK_FLAGS), cases) };
  const express = await benchServer(
    () => startBaseline('bare-express', 'bare-express.js'),
    baselineCases(nameCounter()),
  );
  const bare = await benchServer(() => startBaseline('bare-http', 'bare-http.js'), baselineCases(nameCounter()));
  addRatios(mock, express, bare);
  const redis = WITH_REDIS ? await benchRedisStore(cases) : undefined;
  printTable(tableRows(cases, mock.figures, { 'bare-express': express, 'bare-http': bare }));
  const byServer = { 'keystore-mock': mock.figures, 'bare-express': express, 'bare-http': bare };
  const problems = problemsOf(byServer);

  console.log(`\nspawn to first 200, ${STARTUP_RUNS} runs each:`);
  const startup = await spawnTimes(STARTUP_RUNS, console.log);
  console.log(`\nstartMockServer() and reset() in ${PROGRAMMATIC_RUNS} fresh processes:`);
  const programmatic = await programmaticTimes(PROGRAMMATIC_RUNS, console.log);

  const targets = targetsOf({ throughput: byServer, startup, programmatic });
  if (redis !== undefined) {
    targets.push(...redisTargetsOf(mock.figures, redis));
    if (redis.unexpected.length > 0) problems.push(...redis.unexpected);
  }
  printTargets(targets);
  const file = saveSection('bench', {
    settings: {
      connections: CONNECTIONS,
      warmupSeconds: WARMUP,
      durationSeconds: DURATION,
      fileBase64Chars: FILE_3KB.length,
      startupRuns: STARTUP_RUNS,
      programmaticRuns: PROGRAMMATIC_RUNS,
    },
    cases: Object.fromEntries(cases.map((benchCase) => [benchCase.id, caseResults(benchCase, byServer)])),
    startup,
    programmatic,
    redis: redis?.figures,
    targets,
    problems,
  });
  console.log(`\nwritten to ${file}`);
  closeClient();
  if (problems.length > 0) {
    console.error(`\nFAILED: unexpected responses:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(`bench failed: ${error.stack ?? error}`);
  process.exit(1);
});
