import http from 'node:http';
import { aKeystore, auth } from '../helpers/world';
import {
  assertBuilt,
  httpRequest,
  startCli,
  stopIfRunning,
  type Exit,
  type HttpAnswer,
  type RunningCli,
} from './run-cli';

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
    assertBuilt();
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
  beforeAll(assertBuilt);
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
