import { StartupError } from '../../src/fixtures/read-data-file';
import { testApp } from '../helpers/world';
import { removeFixtures, temporaryFixtures } from './temporary-fixtures';

const BROKEN_FILES: [string, string, string][] = [
  ['a deploy outcome that is not a boolean', 'deploy:\n  default:\n    success: maybe\n', 'deploy.default.success'],
  [
    'an environment outcome with an empty message',
    "undeploy:\n  environments:\n    staging:\n      success: false\n      message: ''\n",
    'undeploy.environments.staging.message',
  ],
  ['an unknown top-level field', 'latencyMs: 5\n', 'latencyMs'],
  ['a negative fixed latency', 'latency:\n  perRequest: -5\n', 'latency.perRequest'],
  [
    'a latency range whose min exceeds its max',
    'latency:\n  perEnvironment:\n    min: 2000\n    max: 1000\n',
    'latency.perEnvironment',
  ],
  [
    'an environment latency range whose min exceeds its max',
    'latency:\n  environments:\n    staging:\n      min: 30\n      max: 10\n',
    'latency.environments.staging',
  ],
  ['a storeOnFailure that is not a boolean', 'storeOnFailure: sometimes\n', 'storeOnFailure'],
  ['a tokenExpired that is not a boolean', 'tokenExpired: 1\n', 'tokenExpired'],
  [
    'a canned response with a status out of range',
    'responses:\n  createKeystore:\n    status: 700\n    body: {}\n',
    'responses.createKeystore.status',
  ],
  [
    'a canned response without a body',
    'responses:\n  createKeystore:\n    status: 500\n',
    'responses.createKeystore.body',
  ],
  [
    'a canned response for an operation the document does not have',
    'responses:\n  fetchEverything:\n    status: 500\n    body: { error: x, error_description: y }\n',
    'responses.fetchEverything',
  ],
  [
    'a canned response whose body breaks the document',
    'responses:\n  listKeystores:\n    status: 200\n    body: { nope: true }\n',
    'responses.listKeystores',
  ],
  ['a name that differs from the file name', 'name: something-else\n', 'name'],
];

describe('loading scenario files at start', () => {
  let dir: string | undefined;

  afterEach(() => {
    if (dir !== undefined) removeFixtures(dir);
    dir = undefined;
  });

  it.each(BROKEN_FILES)('refuses to start with %s, naming the file and the field', async (_case, text, field) => {
    dir = temporaryFixtures({ 'broken.yaml': text });
    const start = testApp({ fixturesDir: dir });
    await expect(start).rejects.toBeInstanceOf(StartupError);
    await expect(start).rejects.toThrow(/scenarios[/\\]broken\.yaml: /);
    await expect(start).rejects.toThrow(`broken.yaml: ${field}`);
  });

  it('refuses to start with a file that is not valid YAML, naming the file', async () => {
    dir = temporaryFixtures({ 'broken.yaml': 'deploy: [unclosed\n' });
    await expect(testApp({ fixturesDir: dir })).rejects.toThrow(/scenarios[/\\]broken\.yaml/);
  });

  it('refuses to start with a JSON scenario file that breaks the schema, naming the file and the field', async () => {
    dir = temporaryFixtures({ 'broken.json': '{"tokenExpired": "yes"}' });
    await expect(testApp({ fixturesDir: dir })).rejects.toThrow(/scenarios[/\\]broken\.json: tokenExpired/);
  });

  it('refuses to start with an unknown start-up scenario, listing the known ones', async () => {
    const start = testApp({ scenario: 'nope' });
    await expect(start).rejects.toBeInstanceOf(StartupError);
    await expect(start).rejects.toThrow(/"nope".*deploy-failure, flaky-staging, happy, partial-deploy-failure/);
  });

  it('starts with a valid scenario file and adds it to the built-in ones', async () => {
    dir = temporaryFixtures({ 'calm.yaml': 'description: Nothing happens.\n' });
    const mock = await testApp({ fixturesDir: dir });
    expect(mock.scenarios.names()).toEqual([
      'calm',
      'deploy-failure',
      'flaky-staging',
      'happy',
      'partial-deploy-failure',
      'server-error',
      'slow-deploy',
      'token-expired',
    ]);
  });
});
