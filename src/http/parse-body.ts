import { errors } from '../errors';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(raw: Buffer, fail: (reason: string) => Error): string {
  try {
    return utf8.decode(raw);
  } catch {
    throw fail('it is not valid UTF-8.');
  }
}

/**
 * Parses a JSON body strictly: UTF-8 only, no byte order mark (RFC 8259 section 8.1), not empty.
 *
 * @example
 * parseJsonBody(Buffer.from('{"name":"a"}')) // { name: 'a' }
 */
export function parseJsonBody(raw: Buffer): unknown {
  const text = decodeUtf8(raw, errors.malformedJson);
  if (text.charCodeAt(0) === 0xfeff) {
    throw errors.malformedJson('it starts with a byte order mark; send JSON without one (RFC 8259 section 8.1).');
  }
  if (text.trim() === '') throw errors.malformedJson('the body is empty.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw errors.malformedJson(`${(error as Error).message}.`);
  }
}

/**
 * Parses an `application/x-www-form-urlencoded` body; a repeated key keeps its first value.
 *
 * @example
 * parseFormBody(Buffer.from('grant_type=client_credentials')) // { grant_type: 'client_credentials' }
 */
export function parseFormBody(raw: Buffer): Record<string, string> {
  const text = decodeUtf8(raw, errors.malformedForm);
  const form: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (!Object.prototype.hasOwnProperty.call(form, key)) {
      Object.defineProperty(form, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  return form;
}
