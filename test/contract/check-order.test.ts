import type { Config } from '../../src/config';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, JKS_FILE, keystorePath, keystoresPath, testApp, TOKENS } from '../helpers/world';
import { sendRequest, type RequestSpec } from './send-request';

/** A request that fails several checks of CONTRACT section 3 at once, and the one that must answer. */
interface OrderCase {
  /** The checks the request fails, most important first. */
  fails: string;
  request: RequestSpec;
  status: number;
  error: string;
  /** The exact description, or a text it must contain. */
  description?: string | { contains: string };
  config?: Partial<Config>;
}

const DEMO = `Bearer ${TOKENS.both}`;
const NO_DEPLOY = `Bearer ${TOKENS.noDeploy}`;
const NO_ROLE = `Bearer ${TOKENS.noRole}`;
const EXPIRED = `Bearer ${TOKENS.expired}`;

const UNKNOWN_PROJECT = 'NoSuchProject';
const PROJECT_NOT_FOUND = `Project (${UNKNOWN_PROJECT}) is not found or user does not have privilege to access it!`;

/** Breaks the schema twice: a name with a space and an empty environment list. */
const SCHEMA_BREAKING = { name: 'has space', keyStoreEnvironmentList: [] };
const UNKNOWN_ENVIRONMENT = [{ environmentName: 'qa', type: 'JKS', file: JKS_FILE }];
const UNKNOWN_ENVIRONMENT_TEXT = 'Environment (qa) is not found or user does not have privilege to access it!';
const MALFORMED = '{"name": "my-keystore",';
const LIMITED = { maxBodyBytes: 1024 };

function oversized(text: string): string {
  return text + ' '.repeat(2048);
}

const CASES: OrderCase[] = [
  {
    fails: 'no token, an unknown project and a schema-breaking body',
    request: { method: 'post', path: keystoresPath(UNKNOWN_PROJECT), json: SCHEMA_BREAKING },
    status: 401,
    error: 'unauthorized_client',
    description: 'Invalid token',
  },
  {
    fails: 'an unknown token, a missing keystore and a wrong content type',
    request: {
      method: 'put',
      path: keystorePath('ghost'),
      authorization: 'Bearer nobody-knows-me',
      raw: { contentType: 'text/plain', body: 'x' },
    },
    status: 401,
    error: 'unauthorized_client',
    description: 'Invalid token',
  },
  {
    fails: 'an expired token and an unknown project',
    request: { method: 'get', path: keystoresPath(UNKNOWN_PROJECT), authorization: EXPIRED },
    status: 401,
    error: 'token_expired',
    description: 'Token has expired',
  },
  {
    fails: 'an expired token, a body above the limit and malformed JSON',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: EXPIRED,
      raw: { contentType: 'application/json', body: oversized(MALFORMED) },
    },
    config: LIMITED,
    status: 401,
    error: 'token_expired',
    description: 'Token has expired',
  },
  {
    fails: 'a missing deploy role and a schema-breaking body',
    request: { method: 'post', path: keystoresPath(), authorization: NO_DEPLOY, json: SCHEMA_BREAKING },
    status: 403,
    error: 'forbidden',
    description: 'You do not have permission to perform this action',
  },
  {
    fails: 'a missing deploy role and an unknown project',
    request: { method: 'post', path: keystoresPath(UNKNOWN_PROJECT), authorization: NO_DEPLOY, json: aKeystore() },
    status: 403,
    error: 'forbidden',
  },
  {
    fails: 'a missing role on a list of an unknown project',
    request: { method: 'get', path: keystoresPath(UNKNOWN_PROJECT), authorization: NO_ROLE },
    status: 403,
    error: 'forbidden',
  },
  {
    fails: 'a missing deploy role and a wrong content type',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: NO_DEPLOY,
      raw: { contentType: 'text/plain', body: MALFORMED },
    },
    status: 403,
    error: 'forbidden',
  },
  {
    fails: 'a missing deploy role on a delete of a missing keystore',
    request: { method: 'delete', path: keystorePath('ghost'), authorization: NO_DEPLOY },
    status: 403,
    error: 'forbidden',
  },
  {
    fails: 'an unknown project and a wrong content type',
    request: {
      method: 'post',
      path: keystoresPath(UNKNOWN_PROJECT),
      authorization: DEMO,
      raw: { contentType: 'text/plain', body: MALFORMED },
    },
    status: 404,
    error: 'not_found',
    description: PROJECT_NOT_FOUND,
  },
  {
    fails: 'an unknown project and a body above the limit',
    request: {
      method: 'post',
      path: keystoresPath(UNKNOWN_PROJECT),
      authorization: DEMO,
      raw: { contentType: 'application/json', body: oversized(JSON.stringify(aKeystore())) },
    },
    config: LIMITED,
    status: 404,
    error: 'not_found',
    description: PROJECT_NOT_FOUND,
  },
  {
    fails: 'an unknown project and a schema-breaking body',
    request: { method: 'post', path: keystoresPath(UNKNOWN_PROJECT), authorization: DEMO, json: SCHEMA_BREAKING },
    status: 404,
    error: 'not_found',
    description: PROJECT_NOT_FOUND,
  },
  {
    fails: 'an unknown project on a get of a missing keystore',
    request: { method: 'get', path: keystorePath('ghost', UNKNOWN_PROJECT), authorization: DEMO },
    status: 404,
    error: 'not_found',
    description: PROJECT_NOT_FOUND,
  },
  {
    fails: 'an unknown project on a delete of a missing keystore',
    request: { method: 'delete', path: keystorePath('ghost', UNKNOWN_PROJECT), authorization: DEMO },
    status: 404,
    error: 'not_found',
    description: PROJECT_NOT_FOUND,
  },
  {
    fails: 'a wrong content type and malformed JSON',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      raw: { contentType: 'text/plain', body: MALFORMED },
    },
    status: 415,
    error: 'unsupported_media_type',
    description: { contains: 'application/json' },
  },
  {
    fails: 'a wrong content type and a body above the limit',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      raw: { contentType: 'text/plain', body: oversized(MALFORMED) },
    },
    config: LIMITED,
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    fails: 'a wrong content type on an update of a missing keystore',
    request: {
      method: 'put',
      path: keystorePath('ghost'),
      authorization: DEMO,
      raw: { contentType: 'text/plain', body: JSON.stringify(aKeystore({ name: 'ghost' })) },
    },
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    fails: 'a body above the limit that is also malformed JSON',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      raw: { contentType: 'application/json', body: oversized(MALFORMED) },
    },
    config: LIMITED,
    status: 413,
    error: 'payload_too_large',
    description: { contains: '1024' },
  },
  {
    fails: 'a body above the limit on an update of a missing keystore',
    request: {
      method: 'put',
      path: keystorePath('ghost'),
      authorization: DEMO,
      raw: { contentType: 'application/json', body: oversized(JSON.stringify(aKeystore({ name: 'ghost' }))) },
    },
    config: LIMITED,
    status: 413,
    error: 'payload_too_large',
  },
  {
    fails: 'malformed JSON on an update of a missing keystore',
    request: {
      method: 'put',
      path: keystorePath('ghost'),
      authorization: DEMO,
      raw: { contentType: 'application/json', body: MALFORMED },
    },
    status: 400,
    error: 'bad_request',
    description: { contains: 'not valid JSON' },
  },
  {
    fails: 'malformed JSON with an invalid keystore name in the path',
    request: {
      method: 'put',
      path: keystorePath('has space'),
      authorization: DEMO,
      raw: { contentType: 'application/json', body: MALFORMED },
    },
    status: 400,
    error: 'bad_request',
    description: { contains: 'not valid JSON' },
  },
  {
    fails: 'a schema-breaking body with an unknown environment',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      json: aKeystore({ name: 'has space', keyStoreEnvironmentList: UNKNOWN_ENVIRONMENT }),
    },
    status: 400,
    error: 'validation_failed',
    description: { contains: 'Validation failed: name ' },
  },
  {
    fails: 'a schema-breaking body with a taken name',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      json: aKeystore({ name: 'taken', description: 42 }),
    },
    status: 400,
    error: 'validation_failed',
    description: { contains: 'Validation failed: description ' },
  },
  {
    fails: 'an invalid keystore name in the path of a missing keystore',
    request: { method: 'get', path: keystorePath('has space'), authorization: DEMO },
    status: 400,
    error: 'validation_failed',
    description: { contains: 'Validation failed: keystoreName ' },
  },
  {
    fails: 'a schema-breaking body on an update of a missing keystore',
    request: {
      method: 'put',
      path: keystorePath('ghost'),
      authorization: DEMO,
      json: aKeystore({ name: 'ghost', keyStoreEnvironmentList: [] }),
    },
    status: 400,
    error: 'validation_failed',
  },
  {
    fails: 'updateReferencedJwks without updateScope, on a missing keystore with an unknown environment',
    request: {
      method: 'put',
      path: `${keystorePath('ghost')}?updateReferencedJwks=true`,
      authorization: DEMO,
      json: aKeystore({ name: 'ghost', keyStoreEnvironmentList: UNKNOWN_ENVIRONMENT }),
    },
    status: 400,
    error: 'validation_failed',
    description: { contains: 'updateScope' },
  },
  {
    fails: 'an unknown environment with a taken name',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      json: aKeystore({ name: 'taken', keyStoreEnvironmentList: UNKNOWN_ENVIRONMENT }),
    },
    status: 400,
    error: 'bad_request',
    description: UNKNOWN_ENVIRONMENT_TEXT,
  },
  {
    fails: 'an unknown environment on an update of a missing keystore',
    request: {
      method: 'put',
      path: keystorePath('ghost'),
      authorization: DEMO,
      json: aKeystore({ name: 'ghost', keyStoreEnvironmentList: UNKNOWN_ENVIRONMENT }),
    },
    status: 400,
    error: 'bad_request',
    description: UNKNOWN_ENVIRONMENT_TEXT,
  },
  {
    fails: 'an unknown environment on a rename onto a taken name',
    request: {
      method: 'put',
      path: keystorePath('other'),
      authorization: DEMO,
      json: aKeystore({ name: 'taken', keyStoreEnvironmentList: UNKNOWN_ENVIRONMENT }),
    },
    status: 400,
    error: 'bad_request',
    description: UNKNOWN_ENVIRONMENT_TEXT,
  },
  {
    fails: 'a missing keystore renamed onto a taken name',
    request: {
      method: 'put',
      path: keystorePath('ghost'),
      authorization: DEMO,
      json: aKeystore({ name: 'taken' }),
    },
    status: 400,
    error: 'bad_request',
    description: 'Keystore (name: ghost) is not found! Try create operation.',
  },
  {
    fails: 'a grant type other than client_credentials with bad credentials',
    request: {
      method: 'post',
      path: '/apiops/auth/token',
      raw: {
        contentType: 'application/x-www-form-urlencoded',
        body: 'grant_type=password&client_id=admin&client_secret=wrong',
      },
    },
    status: 400,
    error: 'unsupported_grant_type',
    description: 'GrantType value must be client_credentials!',
  },
  {
    fails: 'a JSON token request with good credentials',
    request: {
      method: 'post',
      path: '/apiops/auth/token',
      json: { grant_type: 'client_credentials', client_id: 'admin', client_secret: 'admin' },
    },
    status: 415,
    error: 'unsupported_media_type',
    description: { contains: 'application/x-www-form-urlencoded' },
  },
];

describe('the order of checks: the first failing check answers', () => {
  it.each(CASES)('answers $status $error to $fails', async ({ request, status, error, description, config }) => {
    const { app } = await testApp(config);
    for (const name of ['taken', 'other']) {
      await api(app).post(keystoresPath()).set(auth()).send(aKeystore({ name })).expect(200);
    }
    const res = await sendRequest(app, request);
    expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
    if (typeof description === 'string') expect(res.body.error_description).toBe(description);
    else if (description !== undefined) expect(res.body.error_description).toContain(description.contains);
  });
});
