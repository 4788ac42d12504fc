import http from 'node:http';
import { contractProblems } from '../../helpers/contract-validator';

/** A response as the property tests read it. */
export interface ClientResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body (undefined when the body is empty). */
  // The body is arbitrary JSON; the tests compare it with toStrictEqual or read known fields.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** A request: method, path, headers and raw body. */
export interface ClientRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers?: Readonly<Record<string, string>>;
  body?: string | Buffer;
}

/** Sends requests over one kept-alive connection and checks every answer against the OpenAPI documents. */
export interface KeepAliveClient {
  send(request: ClientRequest): Promise<ClientResponse>;
  close(): void;
}

/**
 * A plain node:http client with a single kept-alive socket to a running mock: no per-request
 * server, connection or client-side URL handling, so a property can afford thousands of
 * requests. Every response is checked against the documents as `api()` does.
 *
 * @example
 * const client = keepAliveClient(server.url);
 * const res = await client.send({ method: 'GET', path: '/__mock/health' });
 */
export function keepAliveClient(baseUrl: string): KeepAliveClient {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (request: ClientRequest): Promise<ClientResponse> =>
    new Promise<ClientResponse>((resolve, reject) => {
      const headers: Record<string, string | number> = { ...request.headers };
      if (request.body !== undefined) headers['Content-Length'] = Buffer.byteLength(request.body);
      const req = http.request(`${baseUrl}${request.path}`, { method: request.method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text,
              body: text === '' ? undefined : (JSON.parse(text) as unknown),
            });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
      req.on('error', reject);
      req.end(request.body);
    }).then(async (response) => {
      const problems = await contractProblems(
        request.method,
        request.path,
        response.status,
        response.headers,
        response.body,
      );
      if (problems.length > 0) {
        throw new Error(`${request.method} ${request.path} answered off-contract:\n- ${problems.join('\n- ')}`);
      }
      return response;
    });
  return { send, close: () => agent.destroy() };
}
