import { spawn, spawnSync, type ChildProcessWithoutNullStreams, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { cliOptions } from '../../src/cli/parse-arguments';
import { contractProblems } from '../helpers/contract-validator';

/** The package root, where `npx keystore-mock` resolves the package's own bin. */
export const PACKAGE_ROOT = path.join(__dirname, '..', '..');

/** The built CLI, as `npx keystore-mock` and the package's `bin` run it. */
export const CLI = path.join(PACKAGE_ROOT, 'dist', 'cli.js');

/** How long a build of dist/ may take on a busy two-core machine. */
export const BUILD_TIMEOUT_MS = 120_000;

/** The newest modification time of the files a build of dist/ reads. */
function newestSourceTime(): number {
  const sources = fs
    .readdirSync(path.join(PACKAGE_ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
  const configs = ['tsconfig.json', 'tsconfig.build.json'].map((name) => path.join(PACKAGE_ROOT, name));
  return Math.max(...[...sources, ...configs].map((file) => fs.statSync(file).mtimeMs));
}

/**
 * Builds dist/ from src/ as `npm run build` does, so a spawn test never runs a stale build;
 * skips tsc when dist/ is newer than every source (as after `npm test`'s own build), and fails
 * the suite with tsc's own output when the build fails.
 */
export function buildDist(): void {
  const buildInfo = path.join(PACKAGE_ROOT, 'dist', '.tsbuildinfo');
  if (fs.existsSync(CLI) && fs.existsSync(buildInfo) && fs.statSync(buildInfo).mtimeMs > newestSourceTime()) return;
  const tsc = path.join(PACKAGE_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    timeout: BUILD_TIMEOUT_MS,
  });
  if (result.status !== 0 || !fs.existsSync(CLI)) {
    const how = result.error?.message ?? `tsc exited with ${result.status ?? result.signal}`;
    throw new Error(
      `Could not build ${CLI} (${how}); fix the build, then run the test again:\n${result.stdout}${result.stderr}`,
    );
  }
}

/**
 * This process's environment without any variable the CLI reads, plus the given ones. The
 * spawned server checks its own responses (`MOCK_VALIDATE_RESPONSES`) unless told otherwise.
 */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const ours = new Set(Object.values(cliOptions()).map((option) => option.envVar));
  const kept = Object.fromEntries(Object.entries(process.env).filter(([name]) => !ours.has(name)));
  return { ...kept, MOCK_VALIDATE_RESPONSES: 'true', ...extra };
}

/**
 * Runs the CLI to completion (help, version, bad values). A CLI that unexpectedly starts a
 * server is killed after a bound, so the test fails instead of hanging.
 */
export function spawnCliSync(args: readonly string[], env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: PACKAGE_ROOT,
    env: cleanEnvironment(env),
    encoding: 'utf8',
    timeout: 15_000,
  });
}

/** One JSON log line of the CLI. */
export type LogLine = Record<string, unknown> & { msg?: string };

/** How a child process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A CLI started with `--port 0`, its log lines read as they arrive. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  /** The URL of the `keystore-mock listening` line. */
  url: string;
  /** The `keystore-mock listening` line. */
  listening: LogLine;
  /** Every stdout line so far, raw. */
  rawLines: string[];
  /** Resolves with the first line (already seen or to come) that matches. */
  waitForLine(matches: (line: LogLine) => boolean): Promise<LogLine>;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
}

/**
 * Spawns the CLI and resolves once it logs `keystore-mock listening`; rejects, with its
 * stderr, if it exits first.
 */
export function startCli(args: readonly string[], env: Record<string, string> = {}): Promise<RunningCli> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: PACKAGE_ROOT, env: cleanEnvironment(env) });
  const rawLines: string[] = [];
  const parsed: LogLine[] = [];
  const waiters: { matches: (line: LogLine) => boolean; resolve: (line: LogLine) => void }[] = [];
  let stderr = '';
  let pending = '';
  let exit: Exit | undefined;
  const failures: ((error: Error) => void)[] = [];

  const exited = new Promise<Exit>((resolve) => {
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      const error = new Error(
        `keystore-mock exited (${code ?? signal}) before the expected log line; stderr: ${stderr}`,
      );
      for (const fail of failures.splice(0)) fail(error);
      resolve(exit);
    });
  });

  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk;
  });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    pending += chunk;
    let end = pending.indexOf('\n');
    while (end !== -1) {
      const raw = pending.slice(0, end);
      pending = pending.slice(end + 1);
      end = pending.indexOf('\n');
      rawLines.push(raw);
      let line: LogLine;
      try {
        line = JSON.parse(raw) as LogLine;
      } catch {
        continue;
      }
      parsed.push(line);
      for (const waiter of [...waiters]) {
        if (waiter.matches(line)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(line);
        }
      }
    }
  });

  const waitForLine = (matches: (line: LogLine) => boolean): Promise<LogLine> =>
    new Promise<LogLine>((resolve, reject) => {
      const seen = parsed.find(matches);
      if (seen !== undefined) {
        resolve(seen);
        return;
      }
      if (exit !== undefined) {
        reject(new Error(`keystore-mock already exited (${exit.code ?? exit.signal}); stderr: ${stderr}`));
        return;
      }
      waiters.push({ matches, resolve });
      failures.push(reject);
    });

  return waitForLine((line) => line.msg === 'keystore-mock listening').then((listening) => ({
    child,
    url: String(listening.url),
    listening,
    rawLines,
    waitForLine,
    exited,
  }));
}

/** Kills a CLI a test left running (a failed assertion before its own shutdown). */
export async function stopIfRunning(running: RunningCli | undefined): Promise<void> {
  if (running === undefined || running.child.exitCode !== null || running.child.signalCode !== null) return;
  running.child.kill('SIGKILL');
  await running.exited;
}

/** What a plain HTTP request got back. */
export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** The body as JSON when it is JSON, else as text, for the contract check to judge. */
function parsedBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/**
 * One HTTP request with node:http (no retries, no pooling unless an agent is given); an
 * answer that is off-contract rejects, so no test can pass on it.
 */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent } = {},
): Promise<HttpAnswer> {
  return new Promise<HttpAnswer>((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: options.agent ?? false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => {
          const answer = { status: res.statusCode ?? 0, headers: res.headers, body };
          const method = options.method ?? 'GET';
          void contractProblems(method, new URL(url).pathname, answer.status, answer.headers, parsedBody(body)).then(
            (problems) =>
              problems.length === 0
                ? resolve(answer)
                : reject(new Error(`${method} ${url} answered off-contract:\n- ${problems.join('\n- ')}`)),
            reject,
          );
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
