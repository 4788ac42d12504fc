import { api } from '../helpers/contract-request';
import { aKeystore, auth, JKS_FILE, keystorePath, keystoresPath, testApp } from '../helpers/world';

const MY_PROJECT_ID = '64f0c0ffee00000000000001';

function stateWith(keystores: Record<string, unknown[]>, activeScenario?: string | null): Record<string, unknown> {
  const projects = Object.fromEntries(Object.entries(keystores).map(([name, list]) => [name, { keystores: list }]));
  return activeScenario === undefined ? { version: 1, projects } : { version: 1, activeScenario, projects };
}

describe('GET /__mock/state', () => {
  it('exports every project of the fixtures, empty at start', async () => {
    const { app } = await testApp();
    await api(app)
      .get('/__mock/state')
      .expect(200, {
        version: 1,
        activeScenario: null,
        projects: { MyProject: { keystores: [] }, OtherProject: { keystores: [] } },
      });
  });

  it('exports the stored keystores with their project id, in creation order', async () => {
    const { app } = await testApp();
    for (const name of ['b', 'a', 'c']) {
      await api(app).post(keystoresPath()).set(auth()).send(aKeystore({ name })).expect(200);
    }
    const res = await api(app).get('/__mock/state').expect(200);
    expect(res.body.projects.MyProject.keystores).toEqual(
      ['b', 'a', 'c'].map((name) => ({ ...aKeystore({ name }), projectId: MY_PROJECT_ID })),
    );
  });

  it('exports the active scenario of the session', async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/scenario').send({ name: 'deploy-failure' }).expect(200);
    const res = await api(app).get('/__mock/state').expect(200);
    expect(res.body.activeScenario).toBe('deploy-failure');
  });
});

describe('PUT /__mock/state', () => {
  it('round-trips an export into another app without loss', async () => {
    const source = (await testApp({ generate: 3 })).app;
    await api(source).post(keystoresPath('OtherProject')).set(auth()).send(aKeystore()).expect(200);
    await api(source).put('/__mock/scenario').send({ name: 'partial-deploy-failure' }).expect(200);
    const exported = await api(source).get('/__mock/state').expect(200);
    const target = (await testApp()).app;
    await api(target).put('/__mock/state').send(exported.body).expect(200);
    const reexported = await api(target).get('/__mock/state').expect(200);
    expect(reexported.text).toBe(exported.text);
  });

  it('answers with the state now held', async () => {
    const { app } = await testApp();
    const res = await api(app)
      .put('/__mock/state')
      .send(stateWith({ MyProject: [aKeystore()] }))
      .expect(200);
    expect(res.body).toEqual({
      version: 1,
      activeScenario: null,
      projects: {
        MyProject: { keystores: [{ ...aKeystore(), projectId: MY_PROJECT_ID }] },
        OtherProject: { keystores: [] },
      },
    });
  });

  it('serves the imported keystores through the product API', async () => {
    const { app } = await testApp();
    await api(app)
      .put('/__mock/state')
      .send(stateWith({ MyProject: [aKeystore({ name: 'imported' })] }))
      .expect(200);
    await api(app).get(keystorePath('imported')).set(auth()).expect(200);
  });

  it('replaces the keystores held before and empties the projects left out', async () => {
    const { app } = await testApp();
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ name: 'old' }))
      .expect(200);
    await api(app).post(keystoresPath('OtherProject')).set(auth()).send(aKeystore()).expect(200);
    await api(app)
      .put('/__mock/state')
      .send(stateWith({ MyProject: [aKeystore({ name: 'new' })] }))
      .expect(200);
    const res = await api(app).get('/__mock/state').expect(200);
    expect({
      MyProject: res.body.projects.MyProject.keystores.map((keystore: { name: string }) => keystore.name),
      OtherProject: res.body.projects.OtherProject.keystores,
    }).toEqual({ MyProject: ['new'], OtherProject: [] });
  });

  it('sets the active scenario it is given', async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/state').send(stateWith({}, 'server-error')).expect(200);
    await api(app).get('/__mock/scenario').expect(200, { active: 'server-error' });
  });

  it('imports into the session it names only', async () => {
    const { app } = await testApp();
    await api(app)
      .put('/__mock/state?session=worker-1')
      .send(stateWith({ MyProject: [aKeystore()] }))
      .expect(200);
    const lists = [
      (await api(app).get(keystoresPath()).set(auth()).set('X-Mock-Session', 'worker-1').expect(200)).body.resultCount,
      (await api(app).get(keystoresPath()).set(auth()).expect(200)).body.resultCount,
    ];
    expect(lists).toEqual([1, 0]);
  });

  it('enforces name uniqueness on later creates', async () => {
    const { app } = await testApp();
    await api(app)
      .put('/__mock/state')
      .send(stateWith({ MyProject: [aKeystore()] }))
      .expect(200);
    await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(400);
  });

  const INVALID_IMPORTS: [string, Record<string, unknown>, string][] = [
    ['an unknown project', stateWith({ NoSuchProject: [aKeystore()] }), 'projects.NoSuchProject'],
    [
      'a keystore that breaks the document',
      stateWith({
        MyProject: [
          aKeystore({ keyStoreEnvironmentList: [{ environmentName: 'production', type: 'XYZ', file: JKS_FILE }] }),
        ],
      }),
      'projects.MyProject.keystores[0].keyStoreEnvironmentList[0].type',
    ],
    [
      'a keystore without a name',
      stateWith({ MyProject: [{ keyStoreEnvironmentList: [] }] }),
      'projects.MyProject.keystores[0]',
    ],
    [
      'duplicate names in one project',
      stateWith({ MyProject: [aKeystore({ name: 'twin' }), aKeystore({ name: 'twin' })] }),
      'projects.MyProject.keystores[1].name',
    ],
    [
      'an environment the project does not have',
      stateWith({
        MyProject: [aKeystore({ keyStoreEnvironmentList: [{ environmentName: 'qa', type: 'JKS', file: JKS_FILE }] })],
      }),
      'projects.MyProject.keystores[0]',
    ],
    ['an unknown active scenario', stateWith({ MyProject: [] }, 'nope'), 'activeScenario'],
  ];

  it.each(INVALID_IMPORTS)(
    'answers an import with %s with 400 invalid_state naming the field',
    async (_case, state, field) => {
      const { app } = await testApp();
      const res = await api(app).put('/__mock/state').send(state).expect(400);
      expect({ error: res.body.error, field: res.body.validation_errors?.[0]?.field }).toEqual({
        error: 'invalid_state',
        field: expect.stringContaining(field),
      });
    },
  );

  it.each(INVALID_IMPORTS)('changes nothing on an import with %s', async (_case, state) => {
    const { app } = await testApp();
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ name: 'kept' }))
      .expect(200);
    await api(app).put('/__mock/scenario').send({ name: 'slow-deploy' }).expect(200);
    const before = await api(app).get('/__mock/state').expect(200);
    await api(app)
      .put('/__mock/state')
      .send({ ...state, projects: { ...(state.projects as object), OtherProject: { keystores: [aKeystore()] } } })
      .expect(400);
    const after = await api(app).get('/__mock/state').expect(200);
    expect(after.text).toBe(before.text);
  });

  it('answers a document without projects with 400', async () => {
    const { app } = await testApp();
    await api(app).put('/__mock/state').send({ version: 1 }).expect(400);
  });
});
