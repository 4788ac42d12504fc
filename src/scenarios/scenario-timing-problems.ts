import type { FieldError } from '../errors';
import type { LatencySpec, ScenarioFile } from './scenario';

/** Every latency spec of a scenario file, with its field path. */
function latencySpecs(data: ScenarioFile): [string, LatencySpec][] {
  const latency = data.latency ?? {};
  const specs: [string, LatencySpec | undefined][] = [
    ['latency.perRequest', latency.perRequest],
    ['latency.perEnvironment', latency.perEnvironment],
    ...Object.entries(latency.environments ?? {}).map(([environment, spec]): [string, LatencySpec] => [
      `latency.environments.${environment}`,
      spec,
    ]),
    ...Object.entries(data.operations ?? {}).map(([operationId, rules]): [string, LatencySpec | undefined] => [
      `operations.${operationId}.delay`,
      rules.delay,
    ]),
  ];
  return specs.filter((entry): entry is [string, LatencySpec] => entry[1] !== undefined);
}

/**
 * The checks of delays the JSON Schema cannot express: a per-operation range whose min exceeds
 * its max (the `latency` ranges are checked with the other ranges), and a log-normal median
 * outside its own min and max, which would clamp nearly every draw to one bound.
 *
 * @example
 * scenarioTimingProblems({ operations: { getKeystore: { delay: { min: 9, max: 1 } } } });
 * // [{ field: 'operations.getKeystore.delay.min', message: '(9) must not exceed operations.getKeystore.delay.max (1)' }]
 */
export function scenarioTimingProblems(data: ScenarioFile): FieldError[] {
  const problems: FieldError[] = [];
  for (const [field, spec] of latencySpecs(data)) {
    if (typeof spec !== 'object') continue;
    const { min, max } = spec as { min?: number; max?: number };
    if (field.startsWith('operations.') && min !== undefined && max !== undefined && min > max) {
      problems.push({ field: `${field}.min`, message: `(${min}) must not exceed ${field}.max (${max})` });
    }
    if ('distribution' in spec && spec.distribution === 'lognormal') {
      if ((min !== undefined && spec.median < min) || (max !== undefined && spec.median > max)) {
        problems.push({
          field: `${field}.median`,
          message: `(${spec.median}) must lie between ${field}.min (${min ?? 0}) and ${field}.max (${max ?? 'none'})`,
        });
      }
    }
  }
  return problems;
}
