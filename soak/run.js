/**
 * npm run soak: SOAK_SECONDS (default 60) of mixed keystore traffic against the built mock,
 * checking afterwards that the mock kept its state exactly and stayed healthy:
 *   (a) the store equals the client's own model of it: no keystore lost, none extra;
 *   (b) no 5xx outside the server-error scenario (and no other status the contract rules out);
 *   (c) the mock's RSS, read from /proc/<pid>/status every second, stayed under SOAK_RSS_LIMIT_MB
 *       (default 300);
 * and that it exits cleanly on SIGTERM. Exits 0 on pass, 1 on failure.
 *
 * The load is autocannon, SOAK_CONNECTIONS (default 20) connections, each looping over one
 * keystore's life: create, list, rename (PUT with a new name), get, delete (a quarter are kept).
 * Each request picks its session (two of the soak's own), project and scenario (happy,
 * partial-deploy-failure, deploy-failure, server-error). Names are never reused and a keystore is
 * only renamed or deleted by the connection that created it, after its create succeeded, so the
 * model (applied in the order responses arrive) cannot race with itself.
 *
 * autocannon drops the requests in flight when it stops, which would leave their outcome
 * unknown; so at the deadline every connection switches to harmless GET /__mock/health requests,
 * and autocannon is stopped only once no keystore request is awaiting its response.
 */
'use strict';

const autocannon = require('autocannon');
const { setInterval, clearInterval } = require('node:timers');
const { setTimeout: sleep } = require('node:timers/promises');
const {
  AUTH,
  JSON_AUTH,
  keystoreBody,
  keystoreFile,
  keystoresPath,
  keystorePath,
} = require('../bench/lib/keystore-requests');
const { callExpecting, closeClient } = require('../bench/lib/http-client');
const { requireBuild, startMock, stopServer, rssMb } = require('../bench/lib/servers');

const SECONDS = Number(process.env.SOAK_SECONDS || 60);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS || 20);
const RSS_LIMIT_MB = Number(process.env.SOAK_RSS_LIMIT_MB || 300);
const DRAIN_LIMIT_MS = 15_000;
const SESSIONS = [`soak-${process.pid}-a`, `soak-${process.pid}-b`];
const PROJECTS = ['MyProject', 'OtherProject'];
const ENVIRONMENTS = ['production', 'staging'];
/** A 256-character file: lists grow with the keystores kept, and the soak is about state, not payload size. */
const FILE = keystoreFile(192);
const KEEP_SHARE = 0.25;
/** Scenario of a request and its weight; `happy` is sent as no header at all. */
const SCENARIOS = [
  ['happy', 0.7],
  ['partial-deploy-failure', 0.1],
  ['deploy-failure', 0.1],
  ['server-error', 0.1],
];

/** A small seeded generator (mulberry32), so a run's mix of choices can be repeated. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = seededRandom(Number(process.env.SOAK_SEED || 1));
const pick = (list) => list[Math.floor(random() * list.length)];

function pickScenario() {
  let roll = random();
  for (const [name, weight] of SCENARIOS) {
    roll -= weight;
    if (roll < 0) return name;
  }
  return 'happy';
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What the client believes the mock holds: `session project name` → the keystore's place. */
class Model {
  constructor() {
    this.present = new Map();
  }
  static key(session, project, name) {
    return `${session} ${project} ${name}`;
  }
  add(session, project, name) {
    this.present.set(Model.key(session, project, name), { session, project, name });
  }
  remove(session, project, name) {
    this.present.delete(Model.key(session, project, name));
  }
  names(session, project) {
    return [...this.present.values()]
      .filter((entry) => entry.session === session && entry.project === project)
      .map((entry) => entry.name);
  }
}

/** Counters of the run, and the first few unexpected responses for the report. */
class Tally {
  constructor() {
    this.requests = 0;
    this.byOperation = {};
    this.unexpected = 0;
    this.unexpected5xx = 0;
    this.samples = [];
  }
  count(operation, scenario, status) {
    this.requests += 1;
    const key = `${operation} ${scenario} ${status}`;
    this.byOperation[key] = (this.byOperation[key] ?? 0) + 1;
  }
  flag(context, status, reason, body) {
    this.unexpected += 1;
    if (status >= 500 && context.scenario !== 'server-error') this.unexpected5xx += 1;
    if (this.samples.length < 10) {
      this.samples.push(`${context.operation} (${context.scenario}) → ${status}: ${reason}; ${body.slice(0, 240)}`);
    }
  }
}

/**
 * The traffic of one connection, as autocannon `requests`: each step's setupRequest fills in the
 * request from the connection's context, and its onResponse applies the outcome to the model.
 */
class Traffic {
  constructor() {
    this.model = new Model();
    this.tally = new Tally();
    this.inFlight = 0;
    this.draining = false;
    this.nameCount = 0;
  }

  nextName() {
    this.nameCount += 1;
    return `soak-${this.nameCount}`;
  }

  /** Fills `request` for a keystore operation and marks it in flight. */
  send(request, context, operation, { method, path, body }) {
    if (this.draining) return this.drain(request, context);
    context.operation = operation;
    context.scenario = pickScenario();
    const base = body === undefined ? AUTH : JSON_AUTH;
    const headers = { ...base, 'X-Mock-Session': context.session };
    if (context.scenario !== 'happy') headers['X-Mock-Scenario'] = context.scenario;
    Object.assign(request, { method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    this.inFlight += 1;
    return request;
  }

  /** After the deadline: a request that changes nothing, so stopping mid-way loses no outcome. */
  drain(request, context) {
    context.operation = 'drain';
    return Object.assign(request, { method: 'GET', path: '/__mock/health', headers: {}, body: undefined });
  }

  /** The checks every keystore response gets; true when the operation took effect. */
  settle(status, body, context) {
    if (context.operation === 'drain') return false;
    this.inFlight -= 1;
    this.tally.count(context.operation, context.scenario, status);
    const expected = context.scenario === 'server-error' ? 500 : 200;
    if (status !== expected) {
      this.tally.flag(context, status, `expected ${expected}`, body);
      return false;
    }
    if (status !== 200) return false;
    const problem = this.bodyProblem(parseJson(body), context);
    if (problem !== undefined) this.tally.flag(context, status, problem, body);
    return true;
  }

  /** What is wrong with a 200 body, or undefined; deployment results must follow the scenario. */
  bodyProblem(parsed, context) {
    if (parsed === undefined) return 'body is not JSON';
    if (parsed.success !== true) return 'success is not true';
    const { operation, scenario } = context;
    if (operation === 'list' && context.present !== undefined) {
      if (!parsed.resultList.some((keystore) => keystore.name === context.present)) return 'own keystore missing';
    }
    if (operation === 'get' && parsed.resultList[0]?.name !== context.present) return 'wrong keystore';
    if (!['create', 'rename', 'delete'].includes(operation)) return undefined;
    const results = parsed.deploymentResult?.environmentResults ?? [];
    if (results.length !== ENVIRONMENTS.length) return `${results.length} environment results`;
    if (parsed.deploymentResult.success !== (scenario === 'happy')) return 'deploymentResult.success wrong';
    return undefined;
  }

  /** The autocannon `requests`: one keystore's life per loop. */
  requests() {
    const { model } = this;
    return [
      {
        setupRequest: (request, context) => {
          context.session = pick(SESSIONS);
          context.project = pick(PROJECTS);
          context.present = undefined;
          const name = this.nextName();
          context.target = name;
          const body = keystoreBody(name, { environments: ENVIRONMENTS, file: FILE });
          return this.send(request, context, 'create', { method: 'POST', path: keystoresPath(context.project), body });
        },
        onResponse: (status, body, context) => {
          if (!this.settle(status, body, context)) return;
          model.add(context.session, context.project, context.target);
          context.present = context.target;
        },
      },
      {
        setupRequest: (request, context) =>
          this.send(request, context, 'list', { method: 'GET', path: keystoresPath(context.project) }),
        onResponse: (status, body, context) => this.settle(status, body, context),
      },
      {
        setupRequest: (request, context) => {
          if (context.present === undefined) return null; // create failed: start the next keystore
          context.target = this.nextName();
          const body = keystoreBody(context.target, { environments: ENVIRONMENTS, file: FILE });
          const path = keystorePath(context.project, context.present);
          return this.send(request, context, 'rename', { method: 'PUT', path, body });
        },
        onResponse: (status, body, context) => {
          if (!this.settle(status, body, context)) return;
          model.remove(context.session, context.project, context.present);
          model.add(context.session, context.project, context.target);
          context.present = context.target;
        },
      },
      {
        setupRequest: (request, context) =>
          this.send(request, context, 'get', { method: 'GET', path: keystorePath(context.project, context.present) }),
        onResponse: (status, body, context) => this.settle(status, body, context),
      },
      {
        setupRequest: (request, context) => {
          if (random() < KEEP_SHARE) return null; // keep this one, so the store grows over the run
          const path = keystorePath(context.project, context.present);
          return this.send(request, context, 'delete', { method: 'DELETE', path });
        },
        onResponse: (status, body, context) => {
          if (!this.settle(status, body, context)) return;
          model.remove(context.session, context.project, context.present);
          context.present = undefined;
        },
      },
    ];
  }
}

/** Samples the RSS of `pid` every second; `stop()` returns the highest seen. */
function watchRss(pid) {
  let max = rssMb(pid);
  const timer = setInterval(() => {
    try {
      max = Math.max(max, rssMb(pid));
    } catch {
      // the process is gone; the exit check reports it
    }
  }, 1000);
  return {
    stop: () => {
      clearInterval(timer);
      return max;
    },
  };
}

/** Runs the load until the deadline, then drains and stops; resolves to autocannon's result. */
async function runLoad(url, traffic) {
  const instance = autocannon({
    url,
    connections: CONNECTIONS,
    duration: SECONDS + DRAIN_LIMIT_MS / 1000 + 5, // a hard cap; the drain below normally stops it first
    requests: traffic.requests(),
  });
  const finished = new Promise((resolve, reject) => {
    instance.on('done', resolve);
    instance.on('error', reject);
  });
  await Promise.race([sleep(SECONDS * 1000), finished]);
  traffic.draining = true;
  const drainDeadline = Date.now() + DRAIN_LIMIT_MS;
  while (traffic.inFlight > 0 && Date.now() < drainDeadline) await sleep(10);
  instance.stop();
  return finished;
}

/** Compares the mock's store with the model, per session and project. */
async function compareStore(port, model) {
  const lost = [];
  const extra = [];
  let stored = 0;
  for (const session of SESSIONS) {
    const { body: state } = await callExpecting(200, port, 'GET', `/__mock/state?session=${session}`);
    for (const project of PROJECTS) {
      const actual = new Set(state.projects[project].keystores.map((keystore) => keystore.name));
      const expected = new Set(model.names(session, project));
      stored += actual.size;
      for (const name of expected) if (!actual.has(name)) lost.push(`${session}/${project}/${name}`);
      for (const name of actual) if (!expected.has(name)) extra.push(`${session}/${project}/${name}`);
      const headers = { ...AUTH, 'X-Mock-Session': session };
      const { body: list } = await callExpecting(200, port, 'GET', keystoresPath(project), { headers });
      if (list.resultCount !== actual.size) {
        extra.push(`${session}/${project}: list says ${list.resultCount}, state holds ${actual.size}`);
      }
    }
  }
  return { lost, extra, stored };
}

function failuresOf({ result, traffic, store, maxRss, exit }) {
  const failures = [];
  if (store.lost.length > 0) failures.push(`lost: ${store.lost.slice(0, 10).join(', ')}`);
  if (store.extra.length > 0) failures.push(`extra: ${store.extra.slice(0, 10).join(', ')}`);
  if (traffic.tally.unexpected > 0) failures.push(`${traffic.tally.unexpected} unexpected responses`);
  if (traffic.inFlight > 0) failures.push(`${traffic.inFlight} requests unanswered at stop: outcome unknown`);
  if (result.errors > 0) failures.push(`${result.errors} connection errors (${result.timeouts} timeouts)`);
  if (maxRss >= RSS_LIMIT_MB) failures.push(`RSS reached ${maxRss.toFixed(0)} MB, limit ${RSS_LIMIT_MB} MB`);
  if (exit.code !== 0) failures.push(`the mock exited with ${exit.code ?? exit.signal} after SIGTERM`);
  return failures;
}

async function main() {
  requireBuild();
  const mock = await startMock(['--seed', '1', '--max-keystores', '10000000']);
  const traffic = new Traffic();
  const rss = watchRss(mock.child.pid);
  let result;
  let store;
  let exit;
  try {
    console.log(`soak: ${SECONDS} s, ${CONNECTIONS} connections, sessions ${SESSIONS.join(', ')} on ${mock.url}`);
    result = await runLoad(mock.url, traffic);
    store = await compareStore(mock.port, traffic.model);
  } finally {
    closeClient();
    exit = await stopServer(mock.child);
  }
  const maxRss = rss.stop();

  const { tally } = traffic;
  const failures = failuresOf({ result, traffic, store, maxRss, exit });
  const breakdown = Object.entries(tally.byOperation).sort(([a], [b]) => a.localeCompare(b));
  for (const [key, count] of breakdown) console.log(`  ${key.padEnd(40)} ${count}`);
  console.log(`  stored at the end: ${store.stored} keystores (model: ${traffic.model.present.size})`);
  for (const sample of tally.samples) console.log(`  unexpected: ${sample}`);
  for (const failure of failures) console.log(`  FAIL ${failure}`);
  console.log(
    `soak: ${SECONDS} s, ${tally.requests} requests (${Math.round(tally.requests / SECONDS)}/s), ` +
      `${store.lost.length} lost, ${store.extra.length} extra, ${tally.unexpected5xx} unexpected 5xx, ` +
      `max RSS ${maxRss.toFixed(0)} MB: ${failures.length === 0 ? 'PASS' : 'FAIL'}`,
  );
  process.exitCode = failures.length === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(`soak failed: ${error.stack ?? error}`);
  process.exit(1);
});
