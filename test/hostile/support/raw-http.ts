import net from 'node:net';

/** One HTTP/1.1 response read off a raw socket. */
export interface RawResponse {
  status: number;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: string;
}

/** What to send on a fresh connection. */
export interface RawExchange {
  /** Bytes written in order, as given. */
  chunks: readonly (string | Buffer)[];
  /** Half-close the connection (FIN) once the chunks are written. */
  halfClose?: boolean;
  /** Wait for the server to close the connection and return every response it sent. */
  untilClose?: boolean;
  /** How long to wait for the answer before failing as a hang, in milliseconds. */
  timeoutMs?: number;
}

/** The bounded wait for an answer: long enough for a loaded CI machine, short enough to call a hang a hang. */
export const ANSWER_TIMEOUT_MS = 10_000;

const HEAD_END = Buffer.from('\r\n\r\n');

/** Parses every complete response at the start of `data`; returns them and the bytes left over. */
function parseResponses(data: Buffer): { responses: RawResponse[]; rest: Buffer } {
  const responses: RawResponse[] = [];
  let rest = data;
  for (;;) {
    const headEnd = rest.indexOf(HEAD_END);
    if (headEnd === -1) break;
    const [statusLine = '', ...lines] = rest.subarray(0, headEnd).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers['content-length'] ?? '0');
    const bodyStart = headEnd + HEAD_END.length;
    if (rest.length < bodyStart + length) break;
    responses.push({ status, headers, body: rest.subarray(bodyStart, bodyStart + length).toString('utf8') });
    rest = rest.subarray(bodyStart + length);
  }
  return { responses, rest };
}

/**
 * Sends raw bytes to 127.0.0.1:`port` and waits, within a bound, for the first complete response
 * (or, with `untilClose`, for the server to close the connection). Rejects when no answer comes
 * in time or the connection closes without one, so a hang or a crash fails the test instead of
 * stalling it.
 *
 * @example
 * const [res] = await rawExchange(port, { chunks: ['GET /__mock/health HTTP/1.1\r\nHost: x\r\n\r\n'] });
 */
export function rawExchange(port: number, exchange: RawExchange): Promise<RawResponse[]> {
  const timeoutMs = exchange.timeoutMs ?? ANSWER_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const received: RawResponse[] = [];
    let pending: Buffer = Buffer.alloc(0);
    let settled = false;
    const settle = (outcome: Error | RawResponse[]): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(
      () =>
        settle(
          new Error(
            `No ${exchange.untilClose === true ? 'close' : 'answer'} within ${timeoutMs} ms (${received.length} responses so far): the server hangs.`,
          ),
        ),
      timeoutMs,
    );
    socket.on('data', (data: Buffer) => {
      const parsed = parseResponses(Buffer.concat([pending, data]));
      pending = parsed.rest;
      received.push(...parsed.responses);
      if (received.length > 0 && exchange.untilClose !== true) settle(received);
    });
    socket.on('close', () => {
      if (received.length > 0) settle(received);
      else settle(new Error('The server closed the connection without an answer.'));
    });
    // A reset after the answer is fine; before it, the close handler reports the missing answer.
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      for (const chunk of exchange.chunks) socket.write(chunk);
      if (exchange.halfClose === true) socket.end();
    });
  });
}

/** The first response of an exchange. */
export async function rawRequest(port: number, exchange: RawExchange): Promise<RawResponse> {
  const [first] = await rawExchange(port, exchange);
  if (first === undefined) throw new Error('No response was parsed.');
  return first;
}

/** Request headers in order; a list may repeat a name. */
export type HeaderList = Readonly<Record<string, string>> | readonly (readonly [string, string])[];

/**
 * A request head with the given headers (Host and, unless given, Connection: close are added).
 *
 * @example
 * head('POST', '/apiops/projects/MyProject/keystores/', { 'Content-Length': '10' })
 */
export function head(method: string, path: string, headers: HeaderList = {}): string {
  const pairs = Array.isArray(headers) ? headers : Object.entries(headers);
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1'];
  if (!pairs.some(([name]) => name.toLowerCase() === 'connection')) lines.push('Connection: close');
  for (const [name, value] of pairs) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** The JSON body of a raw response, failing with the raw text when it is not JSON. */
export function jsonOf(response: RawResponse): unknown {
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    throw new Error(`The ${response.status} answer is not JSON: ${JSON.stringify(response.body.slice(0, 200))}`);
  }
}
