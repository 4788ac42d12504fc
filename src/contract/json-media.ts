/**
 * The JSON media object of a response's `content`: `application/json`, or the first `+json`
 * type, as the mock answers JSON only.
 *
 * @example
 * jsonMedia(operation.responses['200']?.content)?.schema
 */
export function jsonMedia<Media>(content: Record<string, Media> | undefined): Media | undefined {
  const types = Object.keys(content ?? {});
  const type =
    types.find((candidate) => candidate === 'application/json') ??
    types.find((candidate) => candidate.endsWith('+json'));
  return type === undefined ? undefined : content?.[type];
}
