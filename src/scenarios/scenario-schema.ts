const latency = {
  oneOf: [
    { type: 'integer', minimum: 0, maximum: 600_000 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['min', 'max'],
      properties: {
        min: { type: 'integer', minimum: 0, maximum: 600_000 },
        max: { type: 'integer', minimum: 0, maximum: 600_000 },
      },
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
    default: outcome,
    environments: { type: 'object', additionalProperties: outcome },
  },
} as const;

/** The JSON Schema every scenario file is checked against at start. */
export const scenarioSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' },
    description: { type: 'string' },
    deploy: outcomeRules,
    undeploy: outcomeRules,
    latency: {
      type: 'object',
      additionalProperties: false,
      properties: {
        perRequest: latency,
        perEnvironment: latency,
        environments: { type: 'object', additionalProperties: latency },
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
  },
} as const;
