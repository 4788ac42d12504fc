import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp, TOKENS } from '../helpers/world';
import { sendRequest, type Method, type RequestSpec } from './send-request';

const INTERNAL_ERROR = {
  error: 'internal_error',
  error_description: 'An unexpected error occurred. Please try again later.',
};

/** A JSON text of exactly `bytes` bytes that is a valid create body apart from its size. */
function jsonOfSize(bytes: number): string {
  const empty = JSON.stringify(aKeystore({ description: '' }));
  return JSON.stringify(aKeystore({ description: 'x'.repeat(bytes - empty.length) }));
}

function allowedMethods(header: string | undefined): string[] {
  return (header ?? '').split(',').map((method) => method.trim());
}

describe('HTTP-level errors', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp());
  });

  describe('unknown paths', () => {
    it.each([
      '/apiops/nope',
      '/apiops/projects/MyProject',
      '/apiops/projects/MyProject/keystores/a/b/',
      '/apiops/projects/MyProject/certificates/',
      '/nowhere',
    ])('answers 404 not_found naming the path %s', async (path) => {
      const res = await api(app).get(path).set(auth()).expect(404);
      expect(res.body.error).toBe('not_found');
      expect(res.body.error_description).toContain(path);
    });
  });

  describe('methods a known path does not serve', () => {
    it.each([
      ['PATCH', keystoresPath(), ['GET', 'POST']],
      ['PUT', keystoresPath(), ['GET', 'POST']],
      ['DELETE', keystoresPath().replace(/\/$/, ''), ['GET', 'POST']],
      ['PATCH', keystorePath('my-keystore'), ['GET', 'PUT', 'DELETE']],
      ['POST', keystorePath('my-keystore').replace(/\/$/, ''), ['GET', 'PUT', 'DELETE']],
      ['GET', '/apiops/auth/token', ['POST']],
      ['DELETE', '/apiops/environments/MyProject', ['GET']],
    ] as [Uppercase<Method>, string, string[]][])(
      'answers %s %s with 405 and an Allow header of %j',
      async (method, path, allowed) => {
        const res = await sendRequest(app, {
          method: method.toLowerCase() as Method,
          path,
          authorization: `Bearer ${TOKENS.both}`,
        });
        expect(res.status).toBe(405);
        expect(res.body.error).toBe('method_not_allowed');
        expect(allowedMethods(res.headers.allow)).toEqual(expect.arrayContaining(allowed));
        expect(allowedMethods(res.headers.allow)).not.toContain(method);
      },
    );
  });

  describe('bodies of another media type', () => {
    it.each([
      ['text/plain', JSON.stringify(aKeystore())],
      ['application/xml', '<keystore/>'],
      ['application/x-www-form-urlencoded', 'name=my-keystore'],
      ['multipart/form-data; boundary=x', '--x--'],
    ])('answers 415 naming application/json to a create sent as %s', async (contentType, body) => {
      const res = await sendRequest(app, {
        method: 'post',
        path: keystoresPath(),
        authorization: `Bearer ${TOKENS.both}`,
        raw: { contentType, body },
      });
      expect(res.status).toBe(415);
      expect(res.body.error).toBe('unsupported_media_type');
      expect(res.body.error_description).toContain('application/json');
    });

    it('answers 415 naming application/json to an update sent as text/plain', async () => {
      await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
      const res = await sendRequest(app, {
        method: 'put',
        path: keystorePath('my-keystore'),
        authorization: `Bearer ${TOKENS.both}`,
        raw: { contentType: 'text/plain', body: JSON.stringify(aKeystore()) },
      });
      expect(res.status).toBe(415);
      expect(res.body.error_description).toContain('application/json');
    });

    it('accepts application/json with a UTF-8 charset parameter', async () => {
      const res = await sendRequest(app, {
        method: 'post',
        path: keystoresPath(),
        authorization: `Bearer ${TOKENS.both}`,
        raw: { contentType: 'application/json; charset=utf-8', body: JSON.stringify(aKeystore()) },
      });
      expect(res.status).toBe(200);
    });
  });

  describe('malformed JSON', () => {
    it.each([
      ['an unterminated object', '{"name": "my-keystore"'],
      ['a missing value', '{"name": }'],
      ['single quotes', "{'name': 'my-keystore'}"],
      ['a trailing comma', '{"name": "my-keystore",}'],
      ['plain text', 'hello'],
    ])('answers 400 bad_request saying the body is not valid JSON for %s', async (_case, body) => {
      const res = await sendRequest(app, {
        method: 'post',
        path: keystoresPath(),
        authorization: `Bearer ${TOKENS.both}`,
        raw: { contentType: 'application/json', body },
      });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('bad_request');
      expect(res.body.error_description).toMatch(/not valid JSON/);
      expect(res.body.validation_errors).toBeUndefined();
    });
  });

  describe('the default body limit of 16 MiB', () => {
    it('answers 413 payload_too_large stating the limit to a body of 16 MiB and one byte', async () => {
      const res = await sendRequest(app, {
        method: 'post',
        path: keystoresPath(),
        authorization: `Bearer ${TOKENS.both}`,
        raw: { contentType: 'application/json', body: jsonOfSize(16 * 1024 * 1024 + 1) },
      });
      expect(res.status).toBe(413);
      expect(res.body.error).toBe('payload_too_large');
      expect(res.body.error_description).toContain('16777216');
    });
  });
});

describe('an unexpected failure', () => {
  let app: Express;
  const failing: RequestSpec = { method: 'post', path: keystoresPath(), json: aKeystore() };

  beforeEach(async () => {
    ({ app } = await testApp({}, { wait: () => Promise.reject(new Error('boom')) }));
  });

  it('answers 500 internal_error with the documented text only', async () => {
    const res = await sendRequest(app, { ...failing, authorization: `Bearer ${TOKENS.both}` });
    expect(res.status).toBe(500);
    expect(res.body).toEqual(INTERNAL_ERROR);
  });

  it('shows neither the cause, nor a stack trace, nor a file path', async () => {
    const res = await sendRequest(app, { ...failing, authorization: `Bearer ${TOKENS.both}` });
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('boom');
    expect(res.text).not.toContain('Error');
    expect(res.text).not.toMatch(/\bat \S+ \(|\n\s+at /);
    expect(res.text).not.toMatch(/\.ts\b|\.js\b|\/work\/|node_modules|src\//);
  });
});

describe('HTTP-level errors against a lowered body limit', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp({ maxBodyBytes: 1024 }));
  });

  it('accepts a body of exactly the limit', async () => {
    const res = await sendRequest(app, {
      method: 'post',
      path: keystoresPath(),
      authorization: `Bearer ${TOKENS.both}`,
      raw: { contentType: 'application/json', body: jsonOfSize(1024) },
    });
    expect(res.status).toBe(200);
  });

  it('answers 413 payload_too_large stating the limit to a body one byte above it', async () => {
    const res = await sendRequest(app, {
      method: 'post',
      path: keystoresPath(),
      authorization: `Bearer ${TOKENS.both}`,
      raw: { contentType: 'application/json', body: jsonOfSize(1025) },
    });
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload_too_large');
    expect(res.body.error_description).toContain('1024');
  });

  it('answers 413 to an update body above the limit', async () => {
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    const res = await sendRequest(app, {
      method: 'put',
      path: keystorePath('my-keystore'),
      authorization: `Bearer ${TOKENS.both}`,
      raw: { contentType: 'application/json', body: jsonOfSize(4096) },
    });
    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload_too_large');
  });
});

describe('response headers', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp());
  });

  it.each([
    ['a list', { method: 'get', path: keystoresPath(), authorization: 'Bearer demo-token' }, 200],
    ['a create', { method: 'post', path: keystoresPath(), authorization: 'Bearer demo-token', json: aKeystore() }, 200],
    [
      'a validation failure',
      { method: 'post', path: keystoresPath(), authorization: 'Bearer demo-token', json: {} },
      400,
    ],
    ['a missing token', { method: 'get', path: keystoresPath() }, 401],
    ['a missing role', { method: 'post', path: keystoresPath(), authorization: 'Bearer no-deploy-token' }, 403],
    ['an unknown path', { method: 'get', path: '/apiops/nope' }, 404],
    ['a method not allowed', { method: 'patch', path: keystoresPath() }, 405],
    [
      'a token',
      {
        method: 'post',
        path: '/apiops/auth/token',
        raw: {
          contentType: 'application/x-www-form-urlencoded',
          body: 'grant_type=client_credentials&client_id=admin&client_secret=admin',
        },
      },
      200,
    ],
  ] as [string, RequestSpec, number][])(
    'sends JSON with charset UTF-8 and nosniff on %s',
    async (_case, spec, status) => {
      const res = await sendRequest(app, spec);
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe('application/json;charset=UTF-8');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    },
  );
});

describe('HEAD on a GET path', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp());
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
  });

  it.each([
    ['the list', keystoresPath()],
    ['one keystore', keystorePath('my-keystore')],
    ['the environments', '/apiops/environments/MyProject'],
  ])('answers HEAD on %s like GET, without a body', async (_case, path) => {
    const get = await api(app).get(path).set(auth()).expect(200);
    const head = await api(app).head(path).set(auth()).expect(200);
    expect(head.text ?? '').toBe('');
    expect(head.headers['content-type']).toBe(get.headers['content-type']);
    expect(head.headers['content-length']).toBe(get.headers['content-length']);
  });

  it('answers HEAD without a token with the GET status, without a body', async () => {
    const head = await api(app).head(keystoresPath()).expect(401);
    expect(head.text ?? '').toBe('');
  });
});
