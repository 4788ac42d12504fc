import Ajv, { type ValidateFunction } from 'ajv';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { toFieldErrors } from '../../src/contract/field-errors';
import { FIXTURE_SCHEMAS, precompiledValidatorsSource } from '../../src/fixtures/precompile-validators';
import { readDataFile } from '../../src/fixtures/read-data-file';
import { FIXTURE_AJV_OPTIONS, type FixtureFormat } from '../../src/fixtures/validate-fixture';

const ROOT = path.join(__dirname, '..', '..');
const BUILT = path.join(ROOT, 'dist', 'fixtures', 'precompiled-validators.js');

/** Runs the generated source as a module of the project, so it finds Ajv's runtime helpers. */
function generatedValidators(): Record<FixtureFormat, ValidateFunction> {
  const module = { exports: {} as Record<FixtureFormat, ValidateFunction> };
  const run = new Function('require', 'module', 'exports', precompiledValidatorsSource()) as (
    ...args: unknown[]
  ) => void;
  run(createRequire(path.join(ROOT, 'package.json')), module, module.exports);
  return module.exports;
}

const shippedWorld = readDataFile(path.join(ROOT, 'fixtures', 'world.yaml')) as { projects: Record<string, unknown>[] };
const withFirstProject = (change: Record<string, unknown>) => ({
  ...shippedWorld,
  projects: [{ ...shippedWorld.projects[0], ...change }, ...shippedWorld.projects.slice(1)],
});
const shippedScenarios = fs
  .readdirSync(path.join(ROOT, 'fixtures', 'scenarios'))
  .map((file): [string, unknown] => [file, readDataFile(path.join(ROOT, 'fixtures', 'scenarios', file))]);

const CASES: [FixtureFormat, string, unknown, boolean][] = [
  ['world', 'the shipped world', shippedWorld, true],
  ['world', 'a project name with a space', withFirstProject({ name: 'My Project' }), false],
  ['world', 'a project without environments', withFirstProject({ environments: undefined }), false],
  ['world', 'an unknown project field', withFirstProject({ owner: 'someone' }), false],
  ['world', 'a document that is a list', [], false],
  ...shippedScenarios.map(([file, data]): [FixtureFormat, string, unknown, boolean] => [
    'scenario',
    `scenario ${file}`,
    data,
    true,
  ]),
  ['scenario', 'a deploy outcome that is not a boolean', { deploy: { default: { success: 'maybe' } } }, false],
  ['scenario', 'a negative latency', { latency: { perRequest: -5 } }, false],
  ['scenario', 'a canned response without a body', { responses: { createKeystore: { status: 500 } } }, false],
  ['scenario', 'an unknown top-level field', { latencyMs: 5 }, false],
];

describe('the precompiled fixture validators', () => {
  const generated = generatedValidators();

  it('cover every fixture format', () => {
    expect(Object.keys(generated).sort()).toEqual(Object.keys(FIXTURE_SCHEMAS).sort());
  });

  it.each(CASES)('judge %s fixture "%s" as the compiled schema does', (format, _label, data, valid) => {
    const compiled = new Ajv(FIXTURE_AJV_OPTIONS).compile(FIXTURE_SCHEMAS[format]);
    const precompiled = generated[format];
    expect(precompiled(data)).toBe(valid);
    expect(compiled(data)).toBe(valid);
    expect(toFieldErrors(precompiled.errors ?? [])).toEqual(toFieldErrors(compiled.errors ?? []));
  });

  it('are the ones the build wrote to dist', () => {
    if (!fs.existsSync(BUILT)) throw new Error(`${BUILT} does not exist: run npm run build first`);
    expect(fs.readFileSync(BUILT, 'utf8')).toBe(precompiledValidatorsSource());
  });
});
