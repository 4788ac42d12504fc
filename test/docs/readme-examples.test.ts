import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import path from 'node:path';
import { startMockServer, type MockServer } from '../../src/server';

/** A curl command of the README and the answer shown right after it: parsed JSON, or text. */
interface Example {
  command: string;
  answer: { json: unknown } | { text: string };
}

const run = promisify(execFile);
const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

/**
 * Every ```bash block that is a curl command followed directly by a ```json or ```text block.
 * The README pretty-prints JSON while the server answers it compact, so JSON answers are
 * compared parsed; text answers are compared as they are.
 */
function examples(): Example[] {
  const pattern = /```bash\n(curl [\s\S]*?)```\s*\n```(json|text)\n([\s\S]*?)```/g;
  return [...README.matchAll(pattern)].map((match) => ({
    command: match[1] as string,
    answer:
      match[2] === 'json'
        ? { json: JSON.parse(match[3] as string) as unknown }
        : { text: (match[3] as string).replace(/\n$/, '') },
  }));
}

describe('the README examples', () => {
  let mock: MockServer;

  beforeAll(async () => {
    // The README promises these answers from `npm start`: the defaults, with a free port.
    mock = await startMockServer({ logLevel: 'silent', validateResponses: true });
  });
  afterAll(() => mock.close());

  it('holds at least one example per operation', () => {
    const commands = examples().map((example) => example.command);
    for (const fragment of [
      'auth/token',
      'test/healthcheck',
      'test/hello/',
      'environments/MyProject',
      'apiops/environments/ -H',
      "-H 'Prefer: ",
      '-X POST',
      'keystores/ -H',
      'my-keystore/ -H',
      '-X PUT',
      '-X DELETE',
    ]) {
      expect(commands.some((command) => command.includes(fragment))).toBe(true);
    }
  });

  it.each(examples().map((example, index) => [index + 1, example] as const))(
    'example %i prints the answer the README shows',
    async (_index, example) => {
      const command = example.command.replaceAll('http://localhost:8080', mock.url);
      // Asynchronous: the server runs in this process and must keep answering while curl waits.
      const { stdout } = await run('bash', ['-c', command], { encoding: 'utf8' });
      if ('json' in example.answer) expect(JSON.parse(stdout)).toEqual(example.answer.json);
      else expect(stdout).toBe(example.answer.text);
    },
  );
});

describe('the README jest example', () => {
  it('is the suite test/programmatic/readme-example.test.ts runs, but for its import line', () => {
    // The block the consumer checks run too: the one after the README's marker.
    const block = /<!-- example: jest-suite -->\s*```ts\n([\s\S]*?)```/.exec(README)?.[1] ?? '';
    const test = fs.readFileSync(path.join(__dirname, '..', 'programmatic', 'readme-example.test.ts'), 'utf8');
    const withoutImports = (code: string) =>
      code
        .split('\n')
        .filter((line) => !line.startsWith('import ') && !line.startsWith('//'))
        .join('\n')
        .trim();
    expect(block).toContain("from 'keystore-mock'");
    expect(withoutImports(test)).toBe(withoutImports(block));
  });
});
