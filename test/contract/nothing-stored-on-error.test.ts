import type { Express } from 'express';
import type { Config } from '../../src/config';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, JKS_FILE, keystorePath, keystoresPath, testApp, TOKENS } from '../helpers/world';
import { sendRequest, type RequestSpec } from './send-request';

/** One kind of failing request, aimed at a world holding `first` and `second` in MyProject and `first` in OtherProject. */
interface ErrorKind {
  kind: string;
  request: RequestSpec;
  status: number;
  error: string;
  config?: Partial<Config>;
  /** Make simulated deployments fail unexpectedly for the failing request only. */
  breakDeployments?: boolean;
}

const DEMO = `Bearer ${TOKENS.both}`;
const TWO_ENVIRONMENTS = [
  { environmentName: 'production', type: 'JKS', file: JKS_FILE },
  { environmentName: 'staging', type: 'PKCS12', file: JKS_FILE },
];
const SMALL_FILE = Buffer.alloc(4, 1).toString('base64');
/** One byte more than JKS_FILE, which the lowered file limit below still allows. */
const LARGE_FILE = Buffer.alloc(13, 1).toString('base64');

/** A change that would succeed, so that only the failing check stops it. */
const NEW_KEYSTORE = aKeystore({ name: 'new-one' });
const CHANGED_FIRST = aKeystore({ name: 'first', description: 'changed' });

const ERROR_KINDS: ErrorKind[] = [
  {
    kind: 'a create without a token',
    request: { method: 'post', path: keystoresPath(), json: NEW_KEYSTORE },
    status: 401,
    error: 'unauthorized_client',
  },
  {
    kind: 'an update with an unknown token',
    request: { method: 'put', path: keystorePath('first'), authorization: 'Bearer unknown', json: CHANGED_FIRST },
    status: 401,
    error: 'unauthorized_client',
  },
  {
    kind: 'a delete with an expired token',
    request: { method: 'delete', path: keystorePath('first'), authorization: `Bearer ${TOKENS.expired}` },
    status: 401,
    error: 'token_expired',
  },
  {
    kind: 'a create without the deploy role',
    request: { method: 'post', path: keystoresPath(), authorization: `Bearer ${TOKENS.noDeploy}`, json: NEW_KEYSTORE },
    status: 403,
    error: 'forbidden',
  },
  {
    kind: 'a rename without the deploy role',
    request: {
      method: 'put',
      path: keystorePath('first'),
      authorization: `Bearer ${TOKENS.noDeploy}`,
      json: aKeystore({ name: 'renamed' }),
    },
    status: 403,
    error: 'forbidden',
  },
  {
    kind: 'a delete without the deploy role',
    request: { method: 'delete', path: keystorePath('first'), authorization: `Bearer ${TOKENS.noDeploy}` },
    status: 403,
    error: 'forbidden',
  },
  {
    kind: 'a create in an unknown project',
    request: { method: 'post', path: keystoresPath('NoSuchProject'), authorization: DEMO, json: NEW_KEYSTORE },
    status: 404,
    error: 'not_found',
  },
  {
    kind: 'a create sent as text/plain',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      raw: { contentType: 'text/plain', body: JSON.stringify(NEW_KEYSTORE) },
    },
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    kind: 'a valid create above the body limit',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      json: aKeystore({ name: 'new-one', description: 'x'.repeat(2048) }),
    },
    config: { maxBodyBytes: 1024 },
    status: 413,
    error: 'payload_too_large',
  },
  {
    kind: 'a create of malformed JSON',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      raw: { contentType: 'application/json', body: JSON.stringify(NEW_KEYSTORE).slice(0, -1) },
    },
    status: 400,
    error: 'bad_request',
  },
  {
    kind: 'a schema-breaking create',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      json: aKeystore({ name: 'new-one', keyStoreEnvironmentList: [{ ...TWO_ENVIRONMENTS[0], type: 'PEM' }] }),
    },
    status: 400,
    error: 'validation_failed',
  },
  {
    kind: 'a schema-breaking update',
    request: {
      method: 'put',
      path: keystorePath('first'),
      authorization: DEMO,
      json: aKeystore({ name: 'first', keyStoreEnvironmentList: [] }),
    },
    status: 400,
    error: 'validation_failed',
  },
  {
    kind: 'a create listing an environment twice',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      json: aKeystore({ name: 'new-one', keyStoreEnvironmentList: [TWO_ENVIRONMENTS[0], TWO_ENVIRONMENTS[0]] }),
    },
    status: 400,
    error: 'validation_failed',
  },
  {
    kind: 'a create with a file above the file limit',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      json: aKeystore({
        name: 'new-one',
        keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file: LARGE_FILE }],
      }),
    },
    config: { maxFileBytes: 12 },
    status: 400,
    error: 'validation_failed',
  },
  {
    kind: 'an update asking for referenced JWKS without a scope',
    request: {
      method: 'put',
      path: `${keystorePath('first')}?updateReferencedJwks=true`,
      authorization: DEMO,
      json: CHANGED_FIRST,
    },
    status: 400,
    error: 'validation_failed',
  },
  {
    kind: 'a create with an unknown environment',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      json: aKeystore({
        name: 'new-one',
        keyStoreEnvironmentList: [TWO_ENVIRONMENTS[0], { environmentName: 'qa', type: 'JKS', file: JKS_FILE }],
      }),
    },
    status: 400,
    error: 'bad_request',
  },
  {
    kind: 'a rename with an unknown environment',
    request: {
      method: 'put',
      path: keystorePath('first'),
      authorization: DEMO,
      json: aKeystore({
        name: 'renamed',
        keyStoreEnvironmentList: [{ environmentName: 'qa', type: 'JKS', file: JKS_FILE }],
      }),
    },
    status: 400,
    error: 'bad_request',
  },
  {
    kind: 'an update of a missing keystore',
    request: { method: 'put', path: keystorePath('ghost'), authorization: DEMO, json: aKeystore({ name: 'ghost' }) },
    status: 400,
    error: 'bad_request',
  },
  {
    kind: 'a delete of a missing keystore',
    request: { method: 'delete', path: keystorePath('ghost'), authorization: DEMO },
    status: 400,
    error: 'bad_request',
  },
  {
    kind: 'a create of a taken name',
    request: {
      method: 'post',
      path: keystoresPath(),
      authorization: DEMO,
      json: aKeystore({ name: 'second', description: 'would replace the stored one' }),
    },
    status: 400,
    error: 'bad_request',
  },
  {
    kind: 'a rename onto a taken name',
    request: { method: 'put', path: keystorePath('first'), authorization: DEMO, json: aKeystore({ name: 'second' }) },
    status: 400,
    error: 'bad_request',
  },
  {
    kind: 'a create that fails unexpectedly',
    request: { method: 'post', path: keystoresPath(), authorization: DEMO, json: NEW_KEYSTORE },
    breakDeployments: true,
    status: 500,
    error: 'internal_error',
  },
  {
    kind: 'a rename that fails unexpectedly',
    request: { method: 'put', path: keystorePath('first'), authorization: DEMO, json: aKeystore({ name: 'renamed' }) },
    breakDeployments: true,
    status: 500,
    error: 'internal_error',
  },
  {
    kind: 'a delete that fails unexpectedly',
    request: { method: 'delete', path: keystorePath('first'), authorization: DEMO },
    breakDeployments: true,
    status: 500,
    error: 'internal_error',
  },
];

describe.each(ERROR_KINDS)('after $kind', ({ request, status, error, config, breakDeployments }) => {
  let app: Express;
  let deploymentsBroken: boolean;

  beforeEach(async () => {
    deploymentsBroken = false;
    ({ app } = await testApp(config, {
      wait: () => (deploymentsBroken ? Promise.reject(new Error('boom')) : Promise.resolve()),
    }));
    const seeds: [string, Record<string, unknown>][] = [
      ['MyProject', aKeystore({ name: 'first', keyStoreEnvironmentList: TWO_ENVIRONMENTS })],
      [
        'MyProject',
        aKeystore({
          name: 'second',
          description: 'kept',
          keyStoreEnvironmentList: [{ environmentName: 'development', type: 'JKS', file: SMALL_FILE }],
        }),
      ],
      ['OtherProject', aKeystore({ name: 'first' })],
    ];
    for (const [project, body] of seeds) {
      await api(app).post(keystoresPath(project)).set(auth()).send(body).expect(200);
    }
  });

  async function everyKeystore(): Promise<unknown[]> {
    const lists = [];
    for (const project of ['MyProject', 'OtherProject']) {
      const res = await api(app).get(keystoresPath(project)).set(auth()).expect(200);
      lists.push(res.body);
    }
    return lists;
  }

  it(`answers ${status} ${error} and leaves every keystore as it was`, async () => {
    const before = await everyKeystore();
    deploymentsBroken = breakDeployments === true;
    const res = await sendRequest(app, request);
    deploymentsBroken = false;
    expect({ status: res.status, error: res.body.error }).toEqual({ status, error });
    expect(await everyKeystore()).toEqual(before);
  });
});
