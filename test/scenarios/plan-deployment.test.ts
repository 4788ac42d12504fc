import { planDeployment, type DrawInteger } from '../../src/deployments/simulate-deployment';
import type { Scenario } from '../../src/scenarios/scenario';

const ENVIRONMENTS = ['production', 'staging', 'development'] as const;

function aScenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    name: 'test',
    description: '',
    source: 'test.yaml',
    origin: 'custom',
    deploy: {},
    undeploy: {},
    latency: {},
    storeOnFailure: true,
    responses: {},
    tokenExpired: false,
    ...overrides,
  };
}

const neverDraw: DrawInteger = () => {
  throw new Error('draw must not be called');
};

describe('planDeployment', () => {
  it.each([
    ['deploy', 'Deployment completed successfully', 'Deployed successfully'],
    ['undeploy', 'Undeployment completed successfully', 'Undeployed successfully'],
  ] as const)(
    'reports every environment as successful on %s when the scenario sets no outcome',
    (kind, overall, each) => {
      const plan = planDeployment(kind, ENVIRONMENTS, aScenario(), neverDraw);
      expect(plan.result).toEqual({
        success: true,
        message: overall,
        environmentResults: ENVIRONMENTS.map((environmentName) => ({ environmentName, success: true, message: each })),
      });
    },
  );

  it('fails only the environment the scenario names and reports the run as completed with errors', () => {
    const scenario = aScenario({
      deploy: { environments: { staging: { success: false, message: 'Deployment failed: ({environment}) down' } } },
    });
    const plan = planDeployment('deploy', ENVIRONMENTS, scenario, neverDraw);
    expect(plan.result).toEqual({
      success: false,
      message: 'Deployment completed with errors',
      environmentResults: [
        { environmentName: 'production', success: true, message: 'Deployed successfully' },
        { environmentName: 'staging', success: false, message: 'Deployment failed: (staging) down' },
        { environmentName: 'development', success: true, message: 'Deployed successfully' },
      ],
    });
  });

  it('lets an environment rule override the default outcome', () => {
    const scenario = aScenario({
      deploy: { default: { success: false }, environments: { development: { success: true, message: 'ok' } } },
    });
    const results = planDeployment('deploy', ENVIRONMENTS, scenario, neverDraw).result.environmentResults;
    expect(results.map((entry) => entry.success)).toEqual([false, false, true]);
  });

  it.each([
    ['deploy', 'Deployment failed: environment (staging) did not respond', 'Deployment completed with errors'],
    ['undeploy', 'Undeployment failed: environment (staging) did not respond', 'Undeployment completed with errors'],
  ] as const)('words a %s failure without a message in the documented default text', (kind, entryMessage, overall) => {
    const scenario = aScenario({ [kind]: { default: { success: false } } });
    const plan = planDeployment(kind, ['staging'], scenario, neverDraw);
    expect(plan.result).toEqual({
      success: false,
      message: overall,
      environmentResults: [{ environmentName: 'staging', success: false, message: entryMessage }],
    });
  });

  it('uses the undeploy rules, not the deploy rules, for an undeployment', () => {
    const scenario = aScenario({ deploy: { default: { success: false } } });
    expect(planDeployment('undeploy', ENVIRONMENTS, scenario, neverDraw).result.success).toBe(true);
  });

  it('keeps the order of the environments it is given', () => {
    const order = ['development', 'production', 'staging'];
    const results = planDeployment('deploy', order, aScenario(), neverDraw).result.environmentResults;
    expect(results.map((entry) => entry.environmentName)).toEqual(order);
  });

  it('plans no delay when the scenario sets no latency', () => {
    expect(planDeployment('deploy', ENVIRONMENTS, aScenario(), neverDraw).delayMs).toBe(0);
  });

  it('adds the per-request delay to the slowest environment', () => {
    const scenario = aScenario({ latency: { perRequest: 50, perEnvironment: 100, environments: { staging: 300 } } });
    expect(planDeployment('deploy', ENVIRONMENTS, scenario, neverDraw).delayMs).toBe(350);
  });

  it('ignores an environment latency rule for an environment the keystore does not use', () => {
    const scenario = aScenario({ latency: { perEnvironment: 100, environments: { staging: 300 } } });
    expect(planDeployment('deploy', ['production'], scenario, neverDraw).delayMs).toBe(100);
  });

  it('draws each ranged environment delay from its min and max', () => {
    const calls: [number, number][] = [];
    const draw: DrawInteger = (min, max) => {
      calls.push([min, max]);
      return max;
    };
    const scenario = aScenario({ latency: { perEnvironment: { min: 1000, max: 2000 } } });
    const plan = planDeployment('deploy', ENVIRONMENTS, scenario, draw);
    expect({ calls, delayMs: plan.delayMs }).toEqual({
      calls: [
        [1000, 2000],
        [1000, 2000],
        [1000, 2000],
      ],
      delayMs: 2000,
    });
  });

  it('draws a named environment delay from its own range instead of the per-environment one', () => {
    const calls: [number, number][] = [];
    const draw: DrawInteger = (min, max) => {
      calls.push([min, max]);
      return min;
    };
    const scenario = aScenario({ latency: { perEnvironment: 5, environments: { staging: { min: 700, max: 900 } } } });
    const plan = planDeployment('deploy', ['production', 'staging'], scenario, draw);
    expect({ calls, delayMs: plan.delayMs }).toEqual({ calls: [[700, 900]], delayMs: 700 });
  });

  it('draws a ranged per-request delay', () => {
    const scenario = aScenario({ latency: { perRequest: { min: 10, max: 20 } } });
    expect(planDeployment('deploy', ['production'], scenario, () => 17).delayMs).toBe(17);
  });

  it('draws an environment delay from a log-normal distribution, clamped to its max', () => {
    const scenario = aScenario({
      latency: { environments: { staging: { distribution: 'lognormal', median: 300, sigma: 0.6, max: 350 } } },
    });
    // The smallest integer draws give the largest normal number (about 6.5): the clamp holds it at 350.
    expect(planDeployment('deploy', ['staging'], scenario, (min) => min).delayMs).toBe(350);
  });

  it('plans the fault of the first environment of the keystore that the scenario breaks', () => {
    const scenario = aScenario({
      faults: { environments: { staging: 'empty-reply', development: { type: 'hang', when: 'before' } } },
    });
    expect(planDeployment('deploy', ['production', 'development', 'staging'], scenario, neverDraw).fault).toEqual({
      type: 'hang',
      when: 'before',
      source: 'scenario test (faults.environments.development)',
    });
  });

  it('reads a bare fault type as breaking the answer after the deployment', () => {
    const scenario = aScenario({ faults: { environments: { staging: 'empty-reply' } } });
    expect(planDeployment('undeploy', ['staging'], scenario, neverDraw).fault).toEqual({
      type: 'empty-reply',
      when: 'after',
      source: 'scenario test (faults.environments.staging)',
    });
  });

  it('plans no fault for a keystore whose environments the scenario does not break', () => {
    const scenario = aScenario({ faults: { environments: { staging: 'empty-reply' } } });
    expect(planDeployment('deploy', ['production'], scenario, neverDraw).fault).toBeUndefined();
  });

  it('takes a range whose min equals its max without drawing', () => {
    const scenario = aScenario({ latency: { perRequest: { min: 40, max: 40 } } });
    expect(planDeployment('deploy', ['production'], scenario, neverDraw).delayMs).toBe(40);
  });
});
