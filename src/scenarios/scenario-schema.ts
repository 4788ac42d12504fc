import { FAULT_TIMINGS, FAULT_TYPES } from './scenario';

/**
 * The shapes used in several places are compiled once, as `$defs` they refer to: written out in
 * each place, the latency alone made Ajv generate and compile its code four times over.
 */
const ref = <Name extends string>(name: Name) => ({ $ref: `#/$defs/${name}` }) as const;

const milliseconds = ref('milliseconds');

/** When `distribution` equals `name`, the object has exactly the fields of that distribution. */
const distribution = (name: string, shape: { required: readonly string[]; properties: object }) =>
  ({
    if: { properties: { distribution: { const: name } } },
    then: { additionalProperties: false, ...shape },
  }) as const;

/**
 * A number of milliseconds, `{ min, max }`, or a distribution chosen by its `distribution`.
 * The shape is picked first (by type, then by `distribution`), so a bad latency is told what is
 * wrong with the shape it was meant to have, rather than with every shape (as `oneOf` would).
 */
const latency = {
  type: ['integer', 'object'],
  if: { type: 'integer' },
  then: milliseconds,
  else: {
    if: { required: ['distribution'] },
    then: {
      properties: { distribution: { enum: ['fixed', 'uniform', 'lognormal'] } },
      allOf: [
        distribution('fixed', { required: ['distribution', 'ms'], properties: { distribution: {}, ms: milliseconds } }),
        distribution('uniform', {
          required: ['distribution', 'min', 'max'],
          properties: { distribution: {}, min: milliseconds, max: milliseconds },
        }),
        distribution('lognormal', {
          required: ['distribution', 'median', 'sigma'],
          properties: {
            distribution: {},
            median: { type: 'number', exclusiveMinimum: 0, maximum: 600_000 },
            sigma: { type: 'number', minimum: 0, maximum: 10 },
            min: milliseconds,
            max: milliseconds,
          },
        }),
      ],
    },
    else: {
      additionalProperties: false,
      required: ['min', 'max'],
      properties: { min: milliseconds, max: milliseconds },
    },
  },
} as const;

const faultType = ref('faultType');

/** A fault's name, or `{ type, when? }`. */
const fault = {
  type: ['string', 'object'],
  if: { type: 'string' },
  then: faultType,
  else: {
    additionalProperties: false,
    required: ['type'],
    properties: { type: faultType, when: { enum: FAULT_TIMINGS } },
  },
} as const;

const outcome = {
  type: 'object',
  additionalProperties: false,
  required: ['success'],
  properties: {
    success: { type: 'boolean' },
    message: { type: 'string', minLength: 1 },
  },
} as const;

const outcomeRules = {
  type: 'object',
  additionalProperties: false,
  properties: {
    default: ref('outcome'),
    environments: { type: 'object', additionalProperties: ref('outcome') },
  },
} as const;

/** The JSON Schema every scenario file is checked against at start. */
export const scenarioSchema = {
  $defs: {
    milliseconds: { type: 'integer', minimum: 0, maximum: 600_000 },
    latency,
    faultType: { enum: FAULT_TYPES },
    fault,
    outcome,
    outcomeRules,
  },
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' },
    description: { type: 'string' },
    deploy: ref('outcomeRules'),
    undeploy: ref('outcomeRules'),
    latency: {
      type: 'object',
      additionalProperties: false,
      properties: {
        perRequest: ref('latency'),
        perEnvironment: ref('latency'),
        environments: { type: 'object', additionalProperties: ref('latency') },
      },
    },
    storeOnFailure: { type: 'boolean' },
    responses: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['status', 'body'],
        properties: {
          status: { type: 'integer', minimum: 200, maximum: 599 },
          body: {},
          headers: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
    tokenExpired: { type: 'boolean' },
    operations: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: { delay: ref('latency'), fault: ref('fault') },
      },
    },
    faults: {
      type: 'object',
      additionalProperties: false,
      properties: { environments: { type: 'object', additionalProperties: ref('fault') } },
    },
  },
} as const;
