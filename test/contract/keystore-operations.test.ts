import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, JKS_FILE, keystorePath, keystoresPath, testApp } from '../helpers/world';

const MY_PROJECT_ID = '64f0c0ffee00000000000001';
const PKCS12_FILE = Buffer.from('pkcs12-bytes').toString('base64');

function withoutTrailingSlash(path: string): string {
  return path.replace(/\/$/, '');
}

/** The documented form with the trailing slash, and the same paths without it. */
const PATH_FORMS = [
  { form: 'with', list: keystoresPath, one: keystorePath },
  {
    form: 'without',
    list: (project?: string) => withoutTrailingSlash(keystoresPath(project)),
    one: (name: string, project?: string) => withoutTrailingSlash(keystorePath(name, project)),
  },
];

function entry(environmentName: string, type = 'JKS', file = JKS_FILE) {
  return { environmentName, type, file };
}

describe.each(PATH_FORMS)('keystore operations on paths $form the trailing slash', ({ list, one }) => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp());
  });

  async function create(body: Record<string, unknown>, project?: string): Promise<void> {
    await api(app).post(list(project)).set(auth()).send(body).expect(200);
  }

  async function names(project?: string): Promise<string[]> {
    const res = await api(app).get(list(project)).set(auth()).expect(200);
    return (res.body.resultList as { name: string }[]).map((keystore) => keystore.name);
  }

  it('creates a keystore and answers one deployment result per environment in the keystore order', async () => {
    const body = aKeystore({
      keyStoreEnvironmentList: [entry('staging'), entry('production', 'PKCS12', PKCS12_FILE), entry('development')],
    });
    const res = await api(app).post(list()).set(auth()).send(body).expect(200);
    expect(res.body).toEqual({
      success: true,
      deploymentResult: {
        success: true,
        message: 'Deployment completed successfully',
        environmentResults: [
          { environmentName: 'staging', success: true, message: 'Deployed successfully' },
          { environmentName: 'production', success: true, message: 'Deployed successfully' },
          { environmentName: 'development', success: true, message: 'Deployed successfully' },
        ],
      },
    });
  });

  it('stores a created keystore exactly as sent, with the projectId added', async () => {
    const body = aKeystore({ keyStoreEnvironmentList: [entry('production'), entry('staging', 'PKCS12', PKCS12_FILE)] });
    await create(body);
    const res = await api(app).get(list()).set(auth()).expect(200);
    expect(res.body).toEqual({ success: true, resultList: [{ ...body, projectId: MY_PROJECT_ID }], resultCount: 1 });
  });

  it('stores a keystore without a description when none is sent', async () => {
    const { description: _description, ...body } = aKeystore();
    await create(body);
    const res = await api(app).get(one('my-keystore')).set(auth()).expect(200);
    expect(res.body.resultList).toEqual([{ ...body, projectId: MY_PROJECT_ID }]);
  });

  it('ignores a projectId sent in the body', async () => {
    await create(aKeystore({ projectId: 'chosen-by-the-client' }));
    const res = await api(app).get(one('my-keystore')).set(auth()).expect(200);
    expect(res.body.resultList[0].projectId).toBe(MY_PROJECT_ID);
  });

  it('adds the id of the owning project to keystores of another project', async () => {
    await create(aKeystore(), 'OtherProject');
    const res = await api(app).get(list('OtherProject')).set(auth()).expect(200);
    expect(res.body.resultList[0].projectId).toBe('64f0c0ffee00000000000002');
  });

  it('lists an empty project as an empty list', async () => {
    await api(app).get(list()).set(auth()).expect(200, { success: true, resultList: [], resultCount: 0 });
  });

  it('lists keystores in creation order with their count', async () => {
    for (const name of ['charlie', 'alpha', 'bravo']) await create(aKeystore({ name }));
    const res = await api(app).get(list()).set(auth()).expect(200);
    expect(res.body.resultCount).toBe(3);
    expect(await names()).toEqual(['charlie', 'alpha', 'bravo']);
  });

  it('gets one keystore in the list shape with exactly one item', async () => {
    await create(aKeystore({ name: 'first' }));
    await create(aKeystore({ name: 'second', description: 'the one asked for' }));
    const res = await api(app).get(one('second')).set(auth()).expect(200);
    expect(res.body).toEqual({
      success: true,
      resultList: [{ ...aKeystore({ name: 'second', description: 'the one asked for' }), projectId: MY_PROJECT_ID }],
      resultCount: 1,
    });
  });

  it('gets a keystore whose name needs percent-encoding in the path', async () => {
    await create(aKeystore({ name: 'ключ+%?#' }));
    const res = await api(app).get(one('ключ+%?#')).set(auth()).expect(200);
    expect(res.body.resultList[0].name).toBe('ключ+%?#');
  });

  it('updates a keystore and answers one deployment result per environment in the new order', async () => {
    await create(aKeystore());
    const body = aKeystore({ keyStoreEnvironmentList: [entry('development'), entry('production')] });
    const res = await api(app).put(one('my-keystore')).set(auth()).send(body).expect(200);
    expect(res.body).toEqual({
      success: true,
      deploymentResult: {
        success: true,
        message: 'Deployment completed successfully',
        environmentResults: [
          { environmentName: 'development', success: true, message: 'Deployed successfully' },
          { environmentName: 'production', success: true, message: 'Deployed successfully' },
        ],
      },
    });
  });

  it('replaces the whole keystore on update, dropping a description the body leaves out', async () => {
    await create(aKeystore());
    const body = { name: 'my-keystore', keyStoreEnvironmentList: [entry('staging', 'PKCS12', PKCS12_FILE)] };
    await api(app).put(one('my-keystore')).set(auth()).send(body).expect(200);
    const res = await api(app).get(one('my-keystore')).set(auth()).expect(200);
    expect(res.body.resultList).toEqual([{ ...body, projectId: MY_PROJECT_ID }]);
  });

  it('keeps an updated keystore at its place in the list', async () => {
    for (const name of ['alpha', 'bravo', 'charlie']) await create(aKeystore({ name }));
    await api(app)
      .put(one('alpha'))
      .set(auth())
      .send(aKeystore({ name: 'alpha', description: 'changed' }))
      .expect(200);
    expect(await names()).toEqual(['alpha', 'bravo', 'charlie']);
  });

  it('renames a keystore when the body names another name', async () => {
    await create(aKeystore({ name: 'old-name' }));
    await api(app)
      .put(one('old-name'))
      .set(auth())
      .send(aKeystore({ name: 'new-name' }))
      .expect(200);
    await api(app).get(one('old-name')).set(auth()).expect(400);
    const res = await api(app).get(one('new-name')).set(auth()).expect(200);
    expect(res.body.resultList).toEqual([{ ...aKeystore({ name: 'new-name' }), projectId: MY_PROJECT_ID }]);
  });

  it('keeps a renamed keystore at its place in the list', async () => {
    for (const name of ['alpha', 'bravo', 'charlie']) await create(aKeystore({ name }));
    await api(app)
      .put(one('bravo'))
      .set(auth())
      .send(aKeystore({ name: 'zulu' }))
      .expect(200);
    expect(await names()).toEqual(['alpha', 'zulu', 'charlie']);
  });

  it('accepts an update that asks to update referenced JWKS with a scope', async () => {
    await create(aKeystore());
    await api(app)
      .put(`${one('my-keystore')}?updateReferencedJwks=true&updateScope=ALL_PROJECTS`)
      .set(auth())
      .send(aKeystore({ description: 'rotated' }))
      .expect(200);
    const res = await api(app).get(one('my-keystore')).set(auth()).expect(200);
    expect(res.body.resultList[0].description).toBe('rotated');
  });

  it('deletes a keystore and answers one undeployment result per environment in the keystore order', async () => {
    await create(aKeystore({ keyStoreEnvironmentList: [entry('staging'), entry('production')] }));
    const res = await api(app).delete(one('my-keystore')).set(auth()).expect(200);
    expect(res.body).toEqual({
      success: true,
      deploymentResult: {
        success: true,
        message: 'Undeployment completed successfully',
        environmentResults: [
          { environmentName: 'staging', success: true, message: 'Undeployed successfully' },
          { environmentName: 'production', success: true, message: 'Undeployed successfully' },
        ],
      },
    });
  });

  it('removes a deleted keystore and only that one', async () => {
    for (const name of ['alpha', 'bravo', 'charlie']) await create(aKeystore({ name }));
    await api(app).delete(one('bravo')).set(auth()).expect(200);
    expect(await names()).toEqual(['alpha', 'charlie']);
    await api(app).get(one('bravo')).set(auth()).expect(400);
  });
});
