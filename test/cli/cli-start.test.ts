import net from 'node:net';
import { assertBuilt, httpRequest, startCli, stopIfRunning, type RunningCli } from './run-cli';

const ADMIN_TOKEN = 'cli-admin-secret-4f7a';

/** A port that was free a moment ago, to see which of two sources the CLI listened on. */
function freePort(): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address() as net.AddressInfo;
      probe.close(() => resolve(address.port));
    });
  });
}

describe('keystore-mock started from the command line', () => {
  let running: RunningCli | undefined;

  beforeAll(assertBuilt);

  afterEach(async () => {
    await stopIfRunning(running);
    running = undefined;
  });

  it('logs the URL it listens on when given --port 0', async () => {
    running = await startCli(['--port', '0', '--log-level', 'info']);
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('answers the health check at the logged URL', async () => {
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

  it('listens on the --port flag rather than the PORT environment variable', async () => {
    const port = await freePort();
    running = await startCli(['--port', String(port)], { PORT: '0' });
    expect(running.url).toBe(`http://127.0.0.1:${port}`);
  });

  it('listens on the PORT environment variable when no flag is given', async () => {
    const port = await freePort();
    running = await startCli([], { PORT: String(port) });
    expect(running.url).toBe(`http://127.0.0.1:${port}`);
  });

  it.each([
    ['--seed', 'MOCK_SEED', 'seed', '7', '9', 7],
    ['--scenario', 'MOCK_SCENARIO', 'scenario', 'slow-deploy', 'deploy-failure', 'slow-deploy'],
  ])('takes %s over %s', async (flag, variable, field, flagValue, environmentValue, expected) => {
    running = await startCli(['--port', '0', flag, flagValue], { [variable]: environmentValue });
    expect(running.listening[field]).toBe(expected);
  });

  it.each([
    ['MOCK_SEED', 'seed', '9', 9],
    ['MOCK_SCENARIO', 'scenario', 'deploy-failure', 'deploy-failure'],
  ])('takes %s over the default', async (variable, field, environmentValue, expected) => {
    running = await startCli(['--port', '0'], { [variable]: environmentValue });
    expect(running.listening[field]).toBe(expected);
  });

  it('takes --log-level over MOCK_LOG_LEVEL', async () => {
    running = await startCli(['--port', '0', '--log-level', 'trace'], { MOCK_LOG_LEVEL: 'warn' });
    const configuration = await running.waitForLine((line) => line.msg === 'configuration');
    expect(configuration.level).toBe(20);
  });

  it.each([
    ['the --admin-token flag', ['--admin-token', ADMIN_TOKEN], {}],
    ['the MOCK_ADMIN_TOKEN variable', [], { MOCK_ADMIN_TOKEN: ADMIN_TOKEN }],
  ])('never writes the admin token from %s to the log', async (_source, args, env) => {
    running = await startCli(['--port', '0', '--log-level', 'trace', ...args], env);
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
