// Starting, probing and stopping the servers the bench and soak scripts drive.
// Every child is spawned on 127.0.0.1, remembered, and killed if the script dies, so no
// server outlives the script that started it.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { setTimeout, clearTimeout } = require('node:timers');
const { setTimeout: sleep } = require('node:timers/promises');

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const BASELINES = path.join(ROOT, 'bench', 'baselines');
const HOST = '127.0.0.1';

/** Children still running; killed on the way out if a script fails halfway. */
const running = new Set();

process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping ${running.size} server(s)`);
    process.exit(code);
  });
}

/** Exits with a clear message when the mock has not been compiled. */
function requireBuild() {
  if (!fs.existsSync(CLI)) {
    console.error(`${path.relative(process.cwd(), CLI)} is missing: run npm run build first`);
    process.exit(1);
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/**
 * One GET with a fresh socket; resolves to the status code, or to undefined when the
 * connection fails (ECONNREFUSED while the server is still starting).
 */
function probe(port, urlPath, headers = {}) {
  return new Promise((resolve) => {
    const request = http.get({ host: HOST, port, path: urlPath, headers, agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.on('error', () => resolve(undefined));
    request.setTimeout(2000, () => request.destroy());
  });
}

/** Polls `urlPath` every `everyMs` until it answers 200; throws after `timeoutMs` or if the child exits. */
async function waitFor200(child, port, urlPath, { everyMs = 5, timeoutMs = 20_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `${child.label} exited (${child.exitCode ?? child.signalCode}) before answering:\n${child.output()}`,
      );
    }
    if ((await probe(port, urlPath)) === 200) return;
    await sleep(everyMs);
  }
  throw new Error(`${child.label} did not answer 200 on ${urlPath} within ${timeoutMs} ms:\n${child.output()}`);
}

/** Resolves when the child prints a line containing `word` on stdout. */
function waitForLine(child, word, timeoutMs = 20_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${child.label} never printed '${word}'`)), timeoutMs);
    let seen = '';
    const onData = (chunk) => {
      seen += chunk;
      if (!seen.includes(word)) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve();
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${child.label} exited (${code}) before printing '${word}':\n${child.output()}`));
    });
  });
}

/** Spawns `node ...args` in the project root, keeping the last few KB of its output for error messages. */
function spawnNode(label, args, env = {}) {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.label = label;
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk).slice(-4000);
  };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  child.output = () => tail.trim() || '(no output)';
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** The arguments the built mock is started with; `extra` is appended (e.g. `--max-keystores`), `nodeArgs` go to node. */
function mockArgs(port, extra = [], nodeArgs = []) {
  return [...nodeArgs, CLI, '--port', String(port), '--log-level', 'warn', ...extra];
}

/**
 * Starts the built keystore-mock and waits for GET /__mock/health to answer 200; `env` is added
 * to the child's environment (such as NODE_OPTIONS).
 *
 * @example
 * const mock = await startMock(['--seed', '1']);
 * await stopServer(mock.child);
 */
async function startMock(extra = [], nodeArgs = [], env = {}) {
  const port = await freePort();
  const child = spawnNode('keystore-mock', mockArgs(port, extra, nodeArgs), env);
  await waitFor200(child, port, '/__mock/health', { everyMs: 20 });
  return { name: 'keystore-mock', port, url: `http://${HOST}:${port}`, child };
}

/** Starts one of bench/baselines/*.js and waits for its 'listening' line. */
async function startBaseline(name, file) {
  const port = await freePort();
  const child = spawnNode(name, [path.join(BASELINES, file)], { PORT: String(port) });
  await waitForLine(child, 'listening');
  return { name, port, url: `http://${HOST}:${port}`, child };
}

/** SIGTERM, then waits for the exit; SIGKILL (and a thrown error) if it takes longer than `graceMs`. */
async function stopServer(child, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGTERM');
  const outcome = await Promise.race([exited, sleep(graceMs).then(() => undefined)]);
  if (outcome !== undefined) return outcome;
  child.kill('SIGKILL');
  await exited;
  throw new Error(`${child.label} did not exit within ${graceMs} ms of SIGTERM; killed`);
}

/** The resident set size of a process in MB, from /proc/<pid>/status (Linux only). */
function rssMb(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (match === null) throw new Error(`no VmRSS line in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}

module.exports = {
  ROOT,
  CLI,
  BASELINES,
  HOST,
  requireBuild,
  freePort,
  probe,
  waitFor200,
  spawnNode,
  mockArgs,
  startMock,
  startBaseline,
  stopServer,
  rssMb,
};
