import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startMockServer, type MockServer } from '../../src/server';

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The ```ts block of the README's "Sessions" section. */
function sessionsExample(): string {
  const section = README.slice(README.indexOf('## Sessions'), README.indexOf('## Control plane'));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (code === undefined) throw new Error('the README has no ts example in its Sessions section');
  return code;
}

/** Runs jest on a folder in a child process (the mock keeps serving in this one) and collects its output. */
function runJest(folder: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const config = {
    rootDir: folder,
    testMatch: ['**/*.test.ts'],
    transform: { '^.+\\.ts$': [require.resolve('@swc/jest'), { jsc: { parser: { syntax: 'typescript' } } }] },
  };
  const jest = require.resolve('jest/bin/jest');
  // A fresh cache has no timings, so jest runs the two files in two workers rather than in band.
  const args = [
    '--config',
    JSON.stringify(config),
    '--maxWorkers=2',
    '--ci',
    '--cacheDirectory',
    path.join(folder, '.cache'),
  ];
  const child = spawn(process.execPath, [jest, ...args], {
    cwd: folder,
    env,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('the README sessions example', () => {
  let mock: MockServer;
  let folder: string;

  beforeAll(async () => {
    mock = await startMockServer({ logLevel: 'silent' });
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-mock-sessions-'));
    for (const file of ['a.test.ts', 'b.test.ts']) fs.writeFileSync(path.join(folder, file), sessionsExample());
  });

  afterAll(async () => {
    await mock.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('lets two jest workers create the same name in one mock, each in its own session', async () => {
    const { code, output } = await runJest(folder, { ...process.env, KEYSTORE_MOCK_URL: mock.url, CI: 'true' });
    expect(output).toMatch(/Tests:\s+2 passed, 2 total/);
    expect(code).toBe(0);
    expect((await mock.state()).MyProject).toEqual([]);
    for (const session of ['worker-1', 'worker-2']) {
      expect((await mock.state(session)).MyProject?.map((keystore) => keystore.name)).toEqual(['shared-name']);
    }
  }, 60_000);
});
