/**
 * The media type of a Content-Type header, lower-cased and without parameters, and its charset.
 *
 * @example
 * parseContentType('application/json; charset=UTF-8') // { type: 'application/json', charset: 'utf-8' }
 */
export function parseContentType(header: string | undefined): { type: string; charset: string | undefined } {
  if (header === undefined) return { type: '', charset: undefined };
  const [type = '', ...parameters] = header.split(';');
  let charset: string | undefined;
  for (const parameter of parameters) {
    const [key = '', value = ''] = parameter.split('=');
    if (key.trim().toLowerCase() === 'charset') charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
  }
  return { type: type.trim().toLowerCase(), charset };
}
