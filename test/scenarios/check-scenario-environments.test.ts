import { StartupError } from '../../src/fixtures/read-data-file';
import { checkScenarioEnvironments } from '../../src/scenarios/check-scenario-environments';
import type { Scenario, ScenarioOrigin } from '../../src/scenarios/scenario';
import { testApp } from '../helpers/world';
import { removeFixtures, temporaryFixtures } from './temporary-fixtures';

const KNOWN = ['production', 'staging', 'development', 'production'];

function aScenario(parts: Partial<Scenario> = {}, origin: ScenarioOrigin = 'custom'): Scenario {
  return {
    name: 'typo',
    description: '',
    source: 'my-fixtures/scenarios/typo.yaml',
    origin,
    deploy: {},
    undeploy: {},
    latency: {},
    storeOnFailure: true,
    responses: {},
    tokenExpired: false,
    ...parts,
  };
}

function failureOf(scenarios: Scenario[], known: readonly string[] = KNOWN): string {
  try {
    checkScenarioEnvironments(scenarios, known);
  } catch (error) {
    if (error instanceof StartupError) return error.message;
    throw error;
  }
  throw new Error('expected a StartupError');
}

const FIELDS: [string, Partial<Scenario>][] = [
  ['deploy.environments.stagng', { deploy: { environments: { stagng: { success: false } } } }],
  ['undeploy.environments.stagng', { undeploy: { environments: { stagng: { success: false } } } }],
  ['latency.environments.stagng', { latency: { environments: { stagng: 100 } } }],
];

describe('checking the environments a scenario names', () => {
  it.each(FIELDS)('refuses %s, naming the file and the field', (field, parts) => {
    expect(failureOf([aScenario(parts)])).toMatch(
      `Failed to load my-fixtures/scenarios/typo.yaml: ${field} names an environment that no project has.`,
    );
  });

  it('suggests the closest known environment', () => {
    expect(failureOf([aScenario(FIELDS[0]?.[1])])).toMatch('Did you mean "staging"?');
  });

  it('lists the known environments once each, sorted', () => {
    expect(failureOf([aScenario(FIELDS[0]?.[1])])).toMatch('Known environments: development, production, staging.');
  });

  it('says how to fix it', () => {
    expect(failureOf([aScenario(FIELDS[0]?.[1])])).toMatch(/fix the name in the scenario, or add the environment/i);
  });

  it('suggests nothing when no known environment is close', () => {
    const message = failureOf([aScenario({ deploy: { environments: { qa: { success: false } } } })]);
    expect(message).not.toMatch('Did you mean');
  });

  it('accepts a scenario whose environments all exist', () => {
    const scenario = aScenario({
      deploy: { default: { success: true }, environments: { staging: { success: false } } },
      undeploy: { environments: { production: { success: true } } },
      latency: { perEnvironment: 10, environments: { development: 5 } },
    });
    expect(() => checkScenarioEnvironments([scenario], KNOWN)).not.toThrow();
  });

  it('does not check built-in scenarios, which are written for the default world', () => {
    const builtIn = aScenario({ deploy: { environments: { staging: { success: false } } } }, 'built-in');
    expect(() => checkScenarioEnvironments([builtIn], ['prod', 'dev'])).not.toThrow();
  });

  it('checks a file that overrides a built-in scenario', () => {
    const override = aScenario({ deploy: { environments: { stagng: { success: false } } } }, 'override');
    expect(() => checkScenarioEnvironments([override], KNOWN)).toThrow(StartupError);
  });

  describe('at start', () => {
    let dir: string | undefined;

    afterEach(() => {
      if (dir !== undefined) removeFixtures(dir);
      dir = undefined;
    });

    it('refuses to start with a scenario that names an environment no project has', async () => {
      dir = temporaryFixtures({ 'typo.yaml': 'deploy:\n  environments:\n    stagng:\n      success: false\n' });
      const start = testApp({ fixturesDir: dir });
      await expect(start).rejects.toBeInstanceOf(StartupError);
      await expect(start).rejects.toThrow(/typo\.yaml: deploy\.environments\.stagng .*Did you mean "staging"\?/);
    });
  });
});
