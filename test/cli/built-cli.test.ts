import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { cliOptions } from '../../src/cli/parse-arguments';
import { aKeystore, auth } from '../helpers/world';
import {
  BUILD_TIMEOUT_MS,
  PACKAGE_ROOT,
  buildDist,
  httpRequest,
  spawnCliSync,
  startCli,
  stopIfRunning,
  type Exit,
  type HttpAnswer,
  type RunningCli,
} from './spawn-cli';

// A few smoke tests of dist/cli.js as users run it; parsing is tested in-process
// (parse-arguments.test.ts). Like every suite that runs dist/, it builds first; right after
// npm test's own build, that finds dist/ newer than the sources and writes nothing.
beforeAll(buildDist, BUILD_TIMEOUT_MS);

const ADMIN_TOKEN = 'cli-admin-secret-4f7a';

describe('keystore-mock started from the command line', () => {
  let running: RunningCli | undefined;

  afterEach(async () => {
    await stopIfRunning(running);
    running = undefined;
  });

  it('answers the health check at the URL it logs', async () => {
    running = await startCli(['--port', '0']);
    const health = await httpRequest(`${running.url}/__mock/health`);
    expect({ status: health.status, body: JSON.parse(health.body) as unknown }).toEqual({
      status: 200,
      body: expect.objectContaining({ status: 'ok' }),
    });
  });

  it('exits with code 0 on SIGTERM once started', async () => {
    running = await startCli(['--port', '0']);
    running.child.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
  });

  it('never writes the admin token to the log, even at trace level', async () => {
    running = await startCli(['--port', '0', '--log-level', 'trace'], { MOCK_ADMIN_TOKEN: ADMIN_TOKEN });
    const health = await httpRequest(`${running.url}/__mock/health`, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    running.child.kill('SIGTERM');
    await running.exited;
    expect({
      health: health.status,
      configurationLogged: running.rawLines.some((line) => line.includes('"adminToken":"[redacted]"')),
      leaks: running.rawLines.filter((line) => line.includes(ADMIN_TOKEN)),
    }).toEqual({ health: 200, configurationLogged: true, leaks: [] });
  });
});

describe('keystore-mock refusing to start', () => {
  it.each<[string, string[], Record<string, string>, string]>([
    [
      'an IPv4 address with a number over 255',
      ['--port', '0'],
      { HOST: '999.1.1.1' },
      'keystore-mock: HOST: 999.1.1.1 is not a valid IPv4 address: its four numbers must each be 0 to 255',
    ],
    [
      'an address this machine does not have',
      ['--port', '0', '--host', '192.0.2.1'],
      {},
      'keystore-mock: --host: 192.0.2.1 is not an address of this machine; use 127.0.0.1, 0.0.0.0 (every interface) or an address of this machine',
    ],
    ['an unknown flag', ['--port', '0', '--bogus'], {}, "keystore-mock: unknown option '--bogus'"],
  ])('given %s, exits with code 2 and one line on stderr', (_case, args, env, line) => {
    const result = spawnCliSync(args, env);
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 2, stderr: `${line}\n` });
  });
});

describe('keystore-mock --help and --version', () => {
  const version = (): string =>
    (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

  it('prints the help, naming every environment variable and default, and exits with code 0', () => {
    const help = spawnCliSync(['--help']);
    const variables = Object.values(cliOptions()).map((option) => option.envVar);
    const shown = [
      '(default: 8080, env: PORT)',
      '(default: the shipped fixtures/, env: MOCK_FIXTURES)',
      '(default: 16mb, env: MOCK_MAX_BODY)',
      '(default: on in a terminal, off otherwise, env: MOCK_PRETTY_LOGS)',
      '--no-validate-responses',
    ];
    // commander wraps the help to the terminal's width.
    const unwrapped = help.stdout.replace(/\s+/g, ' ');
    expect({
      status: help.status,
      stderr: help.stderr,
      usage: help.stdout.split('\n')[0],
      unnamed: variables.filter((variable) => !unwrapped.includes(`env: ${variable})`)),
      missing: shown.filter((text) => !unwrapped.includes(text)),
    }).toEqual({ status: 0, stderr: '', usage: 'Usage: keystore-mock [options]', unnamed: [], missing: [] });
  });

  it.each([['--version'], ['-v']])('prints the package version for %s and exits with code 0', (flag) => {
    const result = spawnCliSync([flag]);
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({
      status: 0,
      stdout: `${version()}\n`,
      stderr: '',
    });
  });
});

/** What one shutdown looked like from outside the process. */
interface Shutdown {
  /** Events in the order the test saw them. */
  events: string[];
  inFlight: HttpAnswer;
  /** The error code of a connection attempted once the process said it was shutting down. */
  newConnection: string;
  exit: Exit;
}

/**
 * Starts the CLI, sends a create that the slow-deploy scenario holds for 1 to 2 seconds, makes
 * sure the server has read it (a later request on another connection has been answered),
 * sends the signal, tries a new connection once the process logs that it is shutting down,
 * and waits for the in-flight answer and the exit. Nothing waits on a clock.
 */
async function shutDownDuringARequest(running: RunningCli, signal: NodeJS.Signals): Promise<Shutdown> {
  const events: string[] = [];
  const agent = new http.Agent({ keepAlive: true });
  const inFlight = httpRequest(`${running.url}/apiops/projects/MyProject/keystores/`, {
    method: 'POST',
    headers: { ...auth(), 'Content-Type': 'application/json', 'X-Mock-Scenario': 'slow-deploy' },
    body: JSON.stringify(aKeystore({ name: 'in-flight' })),
    agent,
  }).then((answer) => {
    events.push('in-flight answered');
    // The client lets go of its kept-alive socket, as a client does when it is done.
    agent.destroy();
    return answer;
  });
  const health = await httpRequest(`${running.url}/__mock/health`);
  expect(health.status).toBe(200);

  const shuttingDown = running.waitForLine((line) => String(line.msg).startsWith('shutting down'));
  running.child.kill(signal);
  await shuttingDown;
  events.push('shutting down logged');
  // Closing the listener and logging happen in one synchronous step of the server: a
  // connection that reaches it now is refused, or reset if it raced into the closing backlog.
  const newConnection = await httpRequest(`${running.url}/__mock/health`).then(
    (answer) => `answered ${answer.status}`,
    (error: NodeJS.ErrnoException) => error.code ?? error.message,
  );
  const exit = await running.exited;
  events.push('exited');
  return { events, inFlight: await inFlight, newConnection, exit };
}

describe.each<NodeJS.Signals>(['SIGTERM', 'SIGINT'])('keystore-mock receiving %s during a slow request', (signal) => {
  let running: RunningCli | undefined;
  let shutdown: Shutdown;

  beforeAll(async () => {
    running = await startCli(['--port', '0', '--log-level', 'info']);
    shutdown = await shutDownDuringARequest(running, signal);
  }, 30_000);

  afterAll(() => stopIfRunning(running));

  it('handles the signal while the request is still in flight', () => {
    expect(shutdown.events.indexOf('shutting down logged')).toBeLessThan(shutdown.events.indexOf('in-flight answered'));
  });

  it('lets the in-flight request finish with 200', () => {
    expect({ status: shutdown.inFlight.status, success: JSON.parse(shutdown.inFlight.body).success }).toEqual({
      status: 200,
      success: true,
    });
  });

  it('tells the in-flight client to close its connection', () => {
    expect(shutdown.inFlight.headers.connection).toBe('close');
  });

  it('refuses a new connection once shutting down', () => {
    expect(['ECONNREFUSED', 'ECONNRESET']).toContain(shutdown.newConnection);
  });

  it('exits with code 0', () => {
    expect(shutdown.exit).toEqual({ code: 0, signal: null });
  });

  it('exits after the in-flight request is answered', () => {
    expect(shutdown.events.slice(-2)).toEqual(['in-flight answered', 'exited']);
  });
});

describe('keystore-mock whose log reader has gone away', () => {
  let running: RunningCli | undefined;
  afterEach(async () => {
    await stopIfRunning(running);
    running = undefined;
  });

  // `keystore-mock | head -1`, then SIGTERM: the last log lines meet a closed pipe.
  it('still exits with code 0 on SIGTERM', async () => {
    running = await startCli(['--port', '0', '--log-level', 'info']);
    running.child.stdout.destroy();
    const health = await httpRequest(`${running.url}/__mock/health`);
    expect(health.status).toBe(200);
    running.child.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
  });
});
