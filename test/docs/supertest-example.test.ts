import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** The ```ts block right after the README's `<!-- example: supertest -->` marker. */
function supertestExample(): string {
  const code = /<!-- example: supertest -->\s*```ts\n([\s\S]*?)```/.exec(README)?.[1];
  if (code === undefined) throw new Error('README.md has no ```ts block after <!-- example: supertest -->');
  return code;
}

/**
 * Runs jest on a folder in a child process, as a user's project would: `keystore-mock` resolves
 * to this repository's entry, every other package to this repository's node_modules.
 */
function runJest(folder: string): Promise<{ code: number | null; output: string }> {
  const config = {
    rootDir: folder,
    testMatch: ['**/*.test.ts'],
    moduleNameMapper: { '^keystore-mock$': path.join(ROOT, 'src', 'index.ts') },
    modulePaths: [path.join(ROOT, 'node_modules')],
    transform: { '^.+\\.ts$': [require.resolve('@swc/jest'), { jsc: { parser: { syntax: 'typescript' } } }] },
  };
  const args = ['--config', JSON.stringify(config), '--ci', '--cacheDirectory', path.join(folder, '.cache')];
  const child = spawn(process.execPath, [require.resolve('jest/bin/jest'), ...args], {
    cwd: folder,
    env: { ...process.env, CI: 'true' },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

describe('the README supertest example', () => {
  let folder: string;

  beforeAll(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'keystore-mock-supertest-'));
    fs.writeFileSync(path.join(folder, 'supertest-example.test.ts'), supertestExample());
  });

  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('imports createApp and resolveConfig from the package and validates every response', () => {
    const code = supertestExample();
    expect(code).toContain("import { createApp, resolveConfig } from 'keystore-mock';");
    // With validateResponses the app turns any reply that breaks the document into a 500,
    // which the example's status expectation would catch.
    expect(code).toContain('validateResponses: true');
  });

  it('passes as written under jest', async () => {
    const { code, output } = await runJest(folder);
    expect(output).toMatch(/Tests:\s+1 passed, 1 total/);
    expect(code).toBe(0);
  }, 60_000);
});
