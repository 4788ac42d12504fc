import fs from 'node:fs';
import path from 'node:path';
import { BUILD_TIMEOUT_MS, buildDist, httpRequest, startCli, stopIfRunning, type RunningCli } from '../cli/spawn-cli';
import { removeFixtures, temporaryFixtures } from '../scenarios/temporary-fixtures';

beforeAll(buildDist, BUILD_TIMEOUT_MS);

async function scenarioNames(url: string): Promise<string[]> {
  const answer = await httpRequest(`${url}/__mock/scenarios`);
  return (JSON.parse(answer.body) as { scenarios: { name: string }[] }).scenarios.map(({ name }) => name);
}

describe.each<[string, string[], Record<string, string>]>([
  ['--watch', ['--watch'], {}],
  ['MOCK_WATCH=true', [], { MOCK_WATCH: 'true' }],
  ['--watch --watch-poll', ['--watch', '--watch-poll'], {}],
])('keystore-mock %s', (_label, flags, env) => {
  let dir: string;
  let cli: RunningCli | undefined;

  beforeEach(() => {
    dir = temporaryFixtures({});
  });

  afterEach(async () => {
    await stopIfRunning(cli);
    cli = undefined;
    removeFixtures(dir);
  });

  it('serves a scenario file added while it runs, logs the reload and exits 0 on SIGTERM', async () => {
    cli = await startCli(['--port', '0', '--fixtures', dir, '--watch-debounce', '50', ...flags], env);
    await cli.waitForLine((line) => line.msg === 'watching the fixtures for changes');
    fs.writeFileSync(path.join(dir, 'scenarios', 'added.yaml'), 'description: Added while running.\n');
    const reloaded = await cli.waitForLine((line) => line.msg === 'fixtures reloaded');
    expect(reloaded).toMatchObject({
      files: [{ event: 'add', file: expect.stringMatching(/added\.yaml$/) }],
      scenarios: { added: ['added'], removed: [], changed: [] },
      projects: 'unchanged',
      spec: 'unchanged',
      store: 'kept',
    });
    expect(await scenarioNames(cli.url)).toContain('added');
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
  });

  it('logs a broken file with its line, keeps serving, and reloads the next good write', async () => {
    cli = await startCli(['--port', '0', '--fixtures', dir, '--watch-debounce', '50', ...flags], env);
    await cli.waitForLine((line) => line.msg === 'watching the fixtures for changes');
    const file = path.join(dir, 'scenarios', 'broken.yaml');
    fs.writeFileSync(file, 'description: fine\ndeploy: [\n');
    const failed = await cli.waitForLine((line) => String(line.msg).startsWith('reload failed'));
    expect(failed).toMatchObject({ level: 50, msg: expect.stringMatching(/broken\.yaml at line \d+/) });
    expect((await httpRequest(`${cli.url}/__mock/health`)).status).toBe(200);
    expect(await scenarioNames(cli.url)).not.toContain('broken');

    fs.writeFileSync(file, 'description: fixed\n');
    await cli.waitForLine((line) => line.msg === 'fixtures reloaded');
    expect(await scenarioNames(cli.url)).toContain('broken');
  });
});
