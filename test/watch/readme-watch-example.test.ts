import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import * as keystoreMock from '../../src/index';
import type { MockServer, ReloadEvent } from '../../src/index';
import { removeFixtures, temporaryFixtures } from '../scenarios/temporary-fixtures';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

/** The TypeScript example of the README's "Hot reload" section. */
function example(): string {
  const start = README.indexOf('## Hot reload: --watch');
  const section = README.slice(start, README.indexOf('\n## ', start + 1));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (start < 0 || code === undefined) throw new Error('the README has no ts example under "## Hot reload: --watch"');
  return code;
}

type Run = (
  require: (name: string) => unknown,
  exports: object,
) => Promise<{ mock: MockServer } & Pick<ReloadEvent, 'scenarios' | 'storeReset'>>;

describe('the README hot reload example', () => {
  let dir: string;
  let mock: MockServer | undefined;

  beforeEach(() => {
    dir = temporaryFixtures({});
  });

  afterEach(async () => {
    await mock?.close();
    removeFixtures(dir);
  });

  it('sees the scenario it writes added, with the store kept, as its comment says', async () => {
    // Its own fixtures folder stands in for my-fixtures; the package is this source tree.
    const code = example().replaceAll("'my-fixtures", `'${dir.replaceAll('\\', '/')}`);
    const { outputText } = ts.transpileModule(code, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (
      ...parameters: string[]
    ) => Run;
    const run = new AsyncFunction('require', 'exports', `${outputText}\nreturn { mock, scenarios, storeReset };`);
    const modules: Record<string, unknown> = { 'keystore-mock': keystoreMock, 'node:fs': fs };
    const result = await run((name) => {
      if (name in modules) return modules[name];
      throw new Error(`the README example imports ${name}; add it to this test's modules`);
    }, {});
    mock = result.mock;
    expect(result.scenarios.added).toEqual(['staging-down']);
    expect(result.storeReset).toBe(false);
    expect(example()).toContain("// scenarios.added: ['staging-down'], storeReset: false");
  });
});
