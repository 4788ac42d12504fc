import { parse } from 'content-type';

/**
 * The media type of a Content-Type header, lower-cased and without parameters, and its
 * charset, as the `content-type` package parses it. A header that is not a valid media type
 * (RFC 9110 section 8.3) gives an empty type, which no operation accepts: a 415 that quotes it.
 *
 * @example
 * parseContentType('application/json; charset=UTF-8') // { type: 'application/json', charset: 'utf-8' }
 */
export function parseContentType(header: string | undefined): { type: string; charset: string | undefined } {
  if (header === undefined) return { type: '', charset: undefined };
  try {
    const { type, parameters } = parse(header);
    return { type, charset: parameters.charset?.toLowerCase() };
  } catch {
    return { type: '', charset: undefined };
  }
}
