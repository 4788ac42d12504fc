import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import * as keystoreMock from '../../src/index';
import type { MockServer } from '../../src/index';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The TypeScript example of the README's "Delays and faults" section. */
function example(): string {
  const start = README.indexOf('## Delays and faults');
  const section = README.slice(start, README.indexOf('\n## ', start + 1));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (start < 0 || code === undefined) throw new Error('the README has no ts example under "## Delays and faults"');
  return code;
}

type Run = (require: (name: string) => unknown, exports: object) => Promise<{ mock: MockServer; retry: Response }>;

describe('the README delays and faults example', () => {
  let mock: MockServer | undefined;

  afterEach(() => mock?.close());

  it('sees the reset, then the retry meet the duplicate, as its comments say', async () => {
    const { outputText } = ts.transpileModule(example(), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
      ...parameters: string[]
    ) => Run;
    const run = new AsyncFunction('require', 'exports', `${outputText}\nreturn { mock, retry };`);
    const result = await run((name) => {
      if (name === 'keystore-mock') return keystoreMock;
      throw new Error(`the README example imports ${name}; add it to this test's modules`);
    }, {});
    mock = result.mock;
    const answer = (await result.retry.json()) as { error_description: string };
    expect(result.retry.status).toBe(400);
    expect(example()).toContain(`// retry.status: ${result.retry.status}, "${answer.error_description}"`);
    expect(await mock.state()).toMatchObject({ MyProject: [expect.objectContaining({ name: 'my-keystore' })] });
  });
});
