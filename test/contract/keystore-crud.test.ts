import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp } from '../helpers/world';

describe('keystore create, list, get, update and delete', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp());
  });

  it('creates a keystore and deploys it to each of its environments', async () => {
    const res = await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    expect(res.body).toEqual({
      success: true,
      deploymentResult: {
        success: true,
        message: 'Deployment completed successfully',
        environmentResults: [{ environmentName: 'production', success: true, message: 'Deployed successfully' }],
      },
    });
  });

  it('lists keystores with the projectId added', async () => {
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    const res = await api(app).get(keystoresPath()).set(auth()).expect(200);
    expect(res.body).toEqual({
      success: true,
      resultList: [{ ...aKeystore(), projectId: '64f0c0ffee00000000000001' }],
      resultCount: 1,
    });
  });

  it('rejects a duplicate name with the documented message', async () => {
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    const res = await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(400);
    expect(res.body).toEqual({
      error: 'bad_request',
      error_description:
        'Keystore (name: my-keystore) is already exist! Try update operation if want to change its value.',
    });
  });

  it('gets one keystore in the list shape', async () => {
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    const res = await api(app).get(keystorePath('my-keystore')).set(auth()).expect(200);
    expect(res.body.resultCount).toBe(1);
    expect(res.body.resultList[0].name).toBe('my-keystore');
  });

  it('renames on update and deletes', async () => {
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    await api(app)
      .put(keystorePath('my-keystore'))
      .set(auth())
      .send(aKeystore({ name: 'renamed' }))
      .expect(200);
    await api(app).get(keystorePath('my-keystore')).set(auth()).expect(400);
    const res = await api(app).delete(keystorePath('renamed')).set(auth()).expect(200);
    expect(res.body.deploymentResult.message).toBe('Undeployment completed successfully');
    await api(app).get(keystoresPath()).set(auth()).expect(200, { success: true, resultList: [], resultCount: 0 });
  });
});
