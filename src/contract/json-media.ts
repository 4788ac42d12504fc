/**
 * The JSON media object of a response's `content`: `application/json`, or the first `+json`
 * type, as the mock answers JSON (and text only where the document says so, see `textMedia`).
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

/**
 * The `text/plain` media object of a response's `content`, for the operations the document
 * answers in text (the health check and the secure hello).
 *
 * @example
 * textMedia(operation.responses['200']?.content)?.schema // { type: 'string', enum: ['OK'] }
 */
export function textMedia<Media>(content: Record<string, Media> | undefined): Media | undefined {
  const type = Object.keys(content ?? {}).find((candidate) => candidate.toLowerCase() === 'text/plain');
  return type === undefined ? undefined : content?.[type];
}
