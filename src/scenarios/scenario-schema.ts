import { FAULT_TIMINGS, FAULT_TYPES } from './scenario';

/**
 * The shapes used in several places are compiled once, as `$defs` they refer to: written out in
 * each place, the latency alone made Ajv generate and compile its code four times over.
 */
const ref = <Name extends string>(name: Name) => ({ $ref: `#/$defs/${name}` }) as const;

const milliseconds = ref('milliseconds');

const latency = {
  oneOf: [
    milliseconds,
    {
      type: 'object',
      additionalProperties: false,
      required: ['min', 'max'],
      properties: { min: milliseconds, max: milliseconds },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['distribution', 'ms'],
      properties: { distribution: { const: 'fixed' }, ms: milliseconds },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['distribution', 'min', 'max'],
      properties: { distribution: { const: 'uniform' }, min: milliseconds, max: milliseconds },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['distribution', 'median', 'sigma'],
      properties: {
        distribution: { const: 'lognormal' },
        median: { type: 'number', exclusiveMinimum: 0, maximum: 600_000 },
        sigma: { type: 'number', minimum: 0, maximum: 10 },
        min: milliseconds,
        max: milliseconds,
      },
    },
  ],
} as const;

const faultType = ref('faultType');

const fault = {
  oneOf: [
    faultType,
    {
      type: 'object',
      additionalProperties: false,
      required: ['type'],
      properties: { type: faultType, when: { enum: FAULT_TIMINGS } },
    },
  ],
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
