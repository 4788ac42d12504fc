import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, keystorePath, keystoresPath, testApp } from '../helpers/world';

function duplicateMessage(name: string): string {
  return `Keystore (name: ${name}) is already exist! Try update operation if want to change its value.`;
}

describe('keystore names and existence', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp());
  });

  async function create(name: string, project?: string): Promise<void> {
    await api(app).post(keystoresPath(project)).set(auth()).send(aKeystore({ name })).expect(200);
  }

  async function names(project?: string): Promise<string[]> {
    const res = await api(app).get(keystoresPath(project)).set(auth()).expect(200);
    return (res.body.resultList as { name: string }[]).map((keystore) => keystore.name);
  }

  it('rejects creating a name already used in the project with the documented message', async () => {
    await create('taken');
    const res = await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(aKeystore({ name: 'taken', description: 'another one' }))
      .expect(400);
    expect(res.body).toEqual({ error: 'bad_request', error_description: duplicateMessage('taken') });
  });

  it('allows the same name in another project', async () => {
    await create('shared');
    await create('shared', 'OtherProject');
    expect(await names()).toEqual(['shared']);
    expect(await names('OtherProject')).toEqual(['shared']);
  });

  it('treats names that differ only in case as different keystores', async () => {
    await create('casing');
    await create('Casing');
    expect(await names()).toEqual(['casing', 'Casing']);
  });

  it('rejects a rename onto a name already used in the project with the documented message', async () => {
    await create('alpha');
    await create('bravo');
    const res = await api(app)
      .put(keystorePath('alpha'))
      .set(auth())
      .send(aKeystore({ name: 'bravo' }))
      .expect(400);
    expect(res.body).toEqual({ error: 'bad_request', error_description: duplicateMessage('bravo') });
  });

  it('allows a rename onto a name used only in another project', async () => {
    await create('alpha');
    await create('bravo', 'OtherProject');
    await api(app)
      .put(keystorePath('alpha'))
      .set(auth())
      .send(aKeystore({ name: 'bravo' }))
      .expect(200);
    expect(await names()).toEqual(['bravo']);
  });

  it('does not count a keystore keeping its own name on update as a duplicate', async () => {
    await create('alpha');
    await api(app)
      .put(keystorePath('alpha'))
      .set(auth())
      .send(aKeystore({ name: 'alpha', description: 'same name' }))
      .expect(200);
  });

  it('frees the old name of a renamed keystore', async () => {
    await create('old-name');
    await api(app)
      .put(keystorePath('old-name'))
      .set(auth())
      .send(aKeystore({ name: 'new-name' }))
      .expect(200);
    await create('old-name');
    expect(await names()).toEqual(['new-name', 'old-name']);
  });

  it('frees the name of a deleted keystore', async () => {
    await create('recycled');
    await api(app).delete(keystorePath('recycled')).set(auth()).expect(200);
    await create('recycled');
    expect(await names()).toEqual(['recycled']);
  });

  it.each([
    ['gets', 'get'],
    ['deletes', 'delete'],
  ] as const)("answers 400 bad_request in the product's words when it %s a missing keystore", async (_verb, method) => {
    const res = await api(app)[method](keystorePath('ghost')).set(auth()).expect(400);
    expect(res.body).toEqual({ error: 'bad_request', error_description: 'Keystore (name: ghost) is not found!' });
  });

  it('answers 400 bad_request pointing to create when it updates a missing keystore', async () => {
    const res = await api(app)
      .put(keystorePath('ghost'))
      .set(auth())
      .send(aKeystore({ name: 'ghost' }))
      .expect(400);
    expect(res.body).toEqual({
      error: 'bad_request',
      error_description: 'Keystore (name: ghost) is not found! Try create operation.',
    });
  });

  it('answers 400 for a keystore that exists only in another project', async () => {
    await create('elsewhere', 'OtherProject');
    const res = await api(app).get(keystorePath('elsewhere')).set(auth()).expect(400);
    expect(res.body.error_description).toBe('Keystore (name: elsewhere) is not found!');
  });

  it.each(['NoSuchProject', 'myproject', 'MYPROJECT'])(
    'answers 404 with the documented message for the project %s',
    async (project) => {
      const res = await api(app).get(keystoresPath(project)).set(auth()).expect(404);
      expect(res.body).toEqual({
        error: 'not_found',
        error_description: `Project (${project}) is not found or user does not have privilege to access it!`,
      });
    },
  );
});
