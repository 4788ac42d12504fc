import type { Faker } from '@faker-js/faker';

/** A JSON Schema as found in a dereferenced OpenAPI document. */
type Schema = Record<string, unknown>;

const MAX_DEPTH = 8;

function asSchema(value: unknown): Schema | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : undefined;
}

function typeOf(schema: Schema): string | undefined {
  const type = schema.type;
  if (Array.isArray(type)) return type.find((candidate) => candidate !== 'null') as string | undefined;
  if (typeof type === 'string') return type;
  if (schema.properties !== undefined) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

function mergeAllOf(schema: Schema): Schema {
  const parts = Array.isArray(schema.allOf) ? schema.allOf.map(asSchema).filter((part) => part !== undefined) : [];
  if (parts.length === 0) return schema;
  const merged: Schema = { ...schema, allOf: undefined };
  const properties: Schema = { ...(asSchema(schema.properties) ?? {}) };
  const required = new Set<string>(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  for (const part of parts.map(mergeAllOf)) {
    Object.assign(properties, asSchema(part.properties) ?? {});
    for (const name of Array.isArray(part.required) ? (part.required as string[]) : []) required.add(name);
    for (const [key, value] of Object.entries(part)) {
      if (key !== 'properties' && key !== 'required' && merged[key] === undefined) merged[key] = value;
    }
  }
  merged.properties = properties;
  merged.required = [...required];
  return merged;
}

function fitLength(text: string, schema: Schema, faker: Faker): string {
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  let fitted = text;
  while (fitted.length < min) fitted += faker.string.alpha(min - fitted.length);
  if (max !== undefined && fitted.length > max) fitted = fitted.slice(0, max);
  return fitted;
}

function stringByFormat(format: string | undefined, faker: Faker): string | undefined {
  switch (format) {
    case 'email':
      return faker.internet.email().toLowerCase();
    case 'uuid':
      return faker.string.uuid();
    case 'date-time':
      return faker.date.between({ from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }).toISOString();
    case 'date':
      return faker.date.between({ from: '2020-01-01', to: '2026-01-01' }).toISOString().slice(0, 10);
    case 'time':
      return faker.date.anytime().toISOString().slice(11, 19) + 'Z';
    case 'uri':
    case 'url':
      return faker.internet.url();
    case 'hostname':
      return faker.internet.domainName();
    case 'ipv4':
      return faker.internet.ipv4();
    case 'ipv6':
      return faker.internet.ipv6();
    case 'byte':
      return Buffer.from(faker.string.alphanumeric(12)).toString('base64');
    case 'password':
      return faker.internet.password({ length: 16 });
    default:
      return undefined;
  }
}

function stringByName(name: string | undefined, faker: Faker): string {
  const key = (name ?? '').toLowerCase();
  if (key.includes('email')) return faker.internet.email().toLowerCase();
  if (key === 'id' || key.endsWith('id')) return faker.string.uuid();
  if (key.includes('url') || key.includes('uri')) return faker.internet.url();
  if (key.includes('description') || key.includes('message')) return faker.lorem.sentence();
  if (key.includes('name')) return faker.word.words(2).replace(/\s+/g, '-');
  return faker.lorem.word();
}

/** A string matching a pattern, or undefined when faker cannot invert it into a match. */
function stringByPattern(pattern: string, faker: Faker): string | undefined {
  // faker copies anchors literally; a schema pattern is matched anywhere unless anchored, so drop them.
  const body = pattern.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
  try {
    const candidate = faker.helpers.fromRegExp(body);
    return new RegExp(pattern, 'u').test(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

function generateString(schema: Schema, name: string | undefined, faker: Faker): string {
  const byFormat = stringByFormat(typeof schema.format === 'string' ? schema.format : undefined, faker);
  if (byFormat !== undefined) return byFormat;
  if (typeof schema.pattern === 'string') {
    const fromPattern = stringByPattern(schema.pattern, faker);
    if (fromPattern !== undefined) return fromPattern;
  }
  return fitLength(stringByName(name, faker), schema, faker);
}

function generateNumber(schema: Schema, integer: boolean, faker: Faker): number {
  const exclusiveMin =
    typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + (integer ? 1 : 0.001) : undefined;
  const exclusiveMax =
    typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - (integer ? 1 : 0.001) : undefined;
  const min = exclusiveMin ?? (typeof schema.minimum === 'number' ? schema.minimum : 0);
  const max = exclusiveMax ?? (typeof schema.maximum === 'number' ? schema.maximum : Math.max(min, 0) + 1000);
  return integer
    ? faker.number.int({ min: Math.ceil(min), max: Math.floor(max) })
    : faker.number.float({ min, max, fractionDigits: 2 });
}

/**
 * Generates a value that satisfies a JSON Schema, with realistic data from a seeded faker:
 * formats (email, uuid, date-time, ...) are honoured, examples and enums preferred.
 *
 * @example
 * generateFromSchema({ type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } }, faker)
 */
export function generateFromSchema(schemaInput: unknown, faker: Faker, name?: string, depth = 0): unknown {
  const raw = asSchema(schemaInput);
  if (raw === undefined) return null;
  const schema = mergeAllOf(raw);
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return faker.helpers.arrayElement(schema.enum);
  if (schema.default !== undefined) return schema.default;
  const choices = (
    Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined
  ) as unknown[] | undefined;
  if (choices !== undefined && choices.length > 0) return generateFromSchema(choices[0], faker, name, depth + 1);
  switch (typeOf(schema)) {
    case 'string':
      return generateString(schema, name, faker);
    case 'integer':
      return generateNumber(schema, true, faker);
    case 'number':
      return generateNumber(schema, false, faker);
    case 'boolean':
      return faker.datatype.boolean();
    case 'array': {
      if (depth >= MAX_DEPTH) return [];
      const min = typeof schema.minItems === 'number' ? schema.minItems : 1;
      const max = typeof schema.maxItems === 'number' ? schema.maxItems : Math.max(min, 3);
      const count = faker.number.int({ min, max: Math.max(min, Math.min(max, min + 2)) });
      return Array.from({ length: count }, () => generateFromSchema(schema.items, faker, name, depth + 1));
    }
    case 'object': {
      const result: Record<string, unknown> = {};
      const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
      for (const [property, propertySchema] of Object.entries(asSchema(schema.properties) ?? {})) {
        if (depth >= MAX_DEPTH && !required.has(property)) continue;
        if (asSchema(propertySchema)?.readOnly === true && asSchema(propertySchema)?.writeOnly === true) continue;
        if (asSchema(propertySchema)?.writeOnly === true) continue;
        Object.defineProperty(result, property, {
          value: generateFromSchema(propertySchema, faker, property, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return result;
    }
    default:
      return schema.nullable === true ? null : faker.lorem.word();
  }
}
