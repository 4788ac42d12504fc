import type { MockServer } from '../../src/server';
import { expectErrorBody } from '../properties/support/error-body';
import { head, jsonOf, rawExchange, rawRequest } from './support/raw-http';
import { startHostileServer } from './support/hostile-server';

const CREATE_PATH = '/apiops/projects/MyProject/keystores/';
const BODY = JSON.stringify({
  name: 'framed',
  keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file: '/u3+7QAAAAIAAAAB' }],
});
const HEADERS = { Authorization: 'Bearer demo-token', 'Content-Type': 'application/json' };
const TWENTY_MIB = 20 * 1024 * 1024;

describe('request bodies whose framing is broken', () => {
  let server: MockServer;

  beforeAll(async () => {
    server = await startHostileServer();
  });

  afterAll(async () => {
    await server.close();
  });

  afterEach(() => {
    server.reset();
  });

  it('answers 400 when the client half-closes before the Content-Length is reached', async () => {
    const res = await rawRequest(server.port, {
      chunks: [head('POST', CREATE_PATH, { ...HEADERS, 'Content-Length': String(BODY.length + 50) }), BODY],
      halfClose: true,
    });
    expect(res.status).toBe(400);
    expectErrorBody(res.status, jsonOf(res), ['bad_request']);
  });

  it('answers 400 after the idle timeout when the client stops sending mid-body', async () => {
    const res = await rawRequest(server.port, {
      chunks: [head('POST', CREATE_PATH, { ...HEADERS, 'Content-Length': String(BODY.length + 50) }), BODY],
    });
    expect(res.status).toBe(400);
    expectErrorBody(res.status, jsonOf(res), ['bad_request']);
  });

  it('answers 400 when the client stops sending after the headers', async () => {
    const res = await rawRequest(server.port, {
      chunks: [head('POST', CREATE_PATH, { ...HEADERS, 'Content-Length': '100' })],
    });
    expect(res.status).toBe(400);
    expectErrorBody(res.status, jsonOf(res), ['bad_request']);
  });

  it('stores nothing from a truncated body', async () => {
    await rawRequest(server.port, {
      chunks: [head('POST', CREATE_PATH, { ...HEADERS, 'Content-Length': String(BODY.length + 50) }), BODY],
      halfClose: true,
    });
    expect((await server.state()).MyProject).toEqual([]);
  });

  it('answers every response in the error shape when the Content-Length is smaller than the body', async () => {
    const responses = await rawExchange(server.port, {
      chunks: [head('POST', CREATE_PATH, { ...HEADERS, 'Content-Length': '20' }), BODY],
      untilClose: true,
    });
    expect(responses.length).toBeGreaterThanOrEqual(1);
    for (const res of responses) {
      expect(res.status).toBe(400);
      expectErrorBody(res.status, jsonOf(res), ['bad_request']);
    }
  });

  it('answers 413 payload_too_large to a 20 MiB body with a Content-Length', async () => {
    const res = await rawRequest(server.port, {
      chunks: [
        head('POST', CREATE_PATH, { ...HEADERS, 'Content-Length': String(TWENTY_MIB) }),
        Buffer.alloc(TWENTY_MIB, 0x61),
      ],
    });
    expect(res.status).toBe(413);
    expect(jsonOf(res)).toMatchObject({ error: 'payload_too_large' });
    expectErrorBody(res.status, jsonOf(res));
  });

  it('answers 413 payload_too_large to a 20 MiB chunked body', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    const chunks: (string | Buffer)[] = [head('POST', CREATE_PATH, { ...HEADERS, 'Transfer-Encoding': 'chunked' })];
    for (let sent = 0; sent < TWENTY_MIB; sent += chunk.length) {
      chunks.push(`${chunk.length.toString(16)}\r\n`, chunk, '\r\n');
    }
    chunks.push('0\r\n\r\n');
    const res = await rawRequest(server.port, { chunks });
    expect(res.status).toBe(413);
    expect(jsonOf(res)).toMatchObject({ error: 'payload_too_large' });
  });

  // Runs last: the hostile requests above must not have taken the server down.
  it('still answers the health check after the hostile requests', async () => {
    const res = await rawRequest(server.port, { chunks: [head('GET', '/__mock/health')] });
    expect(res.status).toBe(200);
    expect(jsonOf(res)).toMatchObject({ status: 'ok' });
  });
});
