import { contractProblems } from '../helpers/contract-validator';

/** A response read whole: status, lower-cased headers and parsed body. */
export interface CheckedResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Node's own `fetch`, as a client of the mock sees it, with the answer checked against the
 * documents before the test looks at it (the supertest helper does the same for supertest).
 *
 * @example
 * const { status } = await fetchChecked(`${mock.url}/apiops/projects/MyProject/keystores/`, { headers });
 */
export async function fetchChecked(url: string, init: RequestInit = {}): Promise<CheckedResponse> {
  const res = await fetch(url, init);
  const headers = Object.fromEntries(res.headers.entries());
  const text = await res.text();
  const body: unknown = /^application\/json/i.test(headers['content-type'] ?? '') ? JSON.parse(text) : text;
  const { pathname } = new URL(url);
  const problems = await contractProblems(init.method ?? 'GET', pathname, res.status, headers, body);
  if (problems.length > 0)
    throw new Error(`${init.method ?? 'GET'} ${pathname} answered off-contract:\n- ${problems.join('\n- ')}`);
  return { status: res.status, headers, body };
}

/** What a failed `fetch` says: its message, and its cause's code and message. */
export async function fetchFailure(
  promise: Promise<unknown>,
): Promise<{ name: string; message: string; cause?: string }> {
  try {
    await promise;
  } catch (error) {
    const { name, message, cause } = error as Error & { cause?: { code?: string; message?: string } };
    return { name, message, ...(cause === undefined ? {} : { cause: cause.code ?? cause.message }) };
  }
  throw new Error('the request was expected to fail, and it was answered');
}
