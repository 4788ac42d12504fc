import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { aKeystore, auth, JKS_FILE, keystorePath, keystoresPath, testApp } from '../helpers/world';

const MIB = 1024 * 1024;

function withEntry(overrides: Record<string, unknown>): Record<string, unknown> {
  return aKeystore({
    keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS', file: JKS_FILE, ...overrides }],
  });
}

function withoutKey(record: Record<string, unknown>, key: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

function fileOf(bytes: number): string {
  return Buffer.alloc(bytes, 0x5a).toString('base64');
}

function fieldsOf(body: { validation_errors?: { field: string }[] }): string[] {
  return (body.validation_errors ?? []).map((problem) => problem.field);
}

describe('keystore fields', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp());
  });

  describe('validation error shape', () => {
    it('names the failing field as a path and repeats the first problem in the description', async () => {
      const res = await api(app)
        .post(keystoresPath())
        .set(auth())
        .send(withEntry({ type: 'PEM' }))
        .expect(400);
      expect(res.body).toEqual({
        error: 'validation_failed',
        error_description: 'Validation failed: keyStoreEnvironmentList[0].type must be one of: JKS, PKCS12',
        validation_errors: [{ field: 'keyStoreEnvironmentList[0].type', message: 'must be one of: JKS, PKCS12' }],
      });
    });

    it('indexes the field path by the position of the failing environment entry', async () => {
      const body = aKeystore({
        keyStoreEnvironmentList: [
          { environmentName: 'production', type: 'JKS', file: JKS_FILE },
          { environmentName: 'staging', type: 'JKS' },
        ],
      });
      const res = await api(app).post(keystoresPath()).set(auth()).send(body).expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(res.body.validation_errors).toEqual([
        { field: 'keyStoreEnvironmentList[1].file', message: 'is required' },
      ]);
      expect(res.body.error_description).toBe('Validation failed: keyStoreEnvironmentList[1].file is required');
    });
  });

  describe('name', () => {
    it.each([
      ['one character', 'k'],
      ['200 characters', 'k'.repeat(200)],
      ['dots, dashes and underscores', 'my.key_store-2'],
      ['non-ASCII letters', 'clé-ключ'],
    ])('accepts a name of %s', async (_case, name) => {
      await api(app).post(keystoresPath()).set(auth()).send(aKeystore({ name })).expect(200);
      const res = await api(app).get(keystorePath(name)).set(auth()).expect(200);
      expect(res.body.resultList[0].name).toBe(name);
    });

    it.each([
      ['an empty name', ''],
      ['201 characters', 'k'.repeat(201)],
      ['a space', 'my keystore'],
      ['a leading space', ' keystore'],
      ['a tab', 'my\tkeystore'],
      ['a line break', 'my\nkeystore'],
      ['a slash', 'my/keystore'],
      ['a name that is not a string', 42],
    ])('rejects a name with %s as validation_failed on name', async (_case, name) => {
      const res = await api(app).post(keystoresPath()).set(auth()).send(aKeystore({ name })).expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(res.body.error_description).toMatch(/^Validation failed: name /);
      expect(fieldsOf(res.body)).toContain('name');
    });

    it('rejects a path keystore name with whitespace as validation_failed on keystoreName', async () => {
      const res = await api(app).get(keystorePath('my keystore')).set(auth()).expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(fieldsOf(res.body)).toEqual(['keystoreName']);
    });

    it('rejects a path keystore name of 201 characters as validation_failed on keystoreName', async () => {
      const res = await api(app)
        .get(keystorePath('k'.repeat(201)))
        .set(auth())
        .expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(fieldsOf(res.body)).toEqual(['keystoreName']);
    });
  });

  describe('required fields', () => {
    it.each([
      ['name', withoutKey(aKeystore(), 'name'), 'name'],
      ['keyStoreEnvironmentList', withoutKey(aKeystore(), 'keyStoreEnvironmentList'), 'keyStoreEnvironmentList'],
      [
        'environmentName',
        aKeystore({ keyStoreEnvironmentList: [{ type: 'JKS', file: JKS_FILE }] }),
        'keyStoreEnvironmentList[0].environmentName',
      ],
      [
        'type',
        aKeystore({ keyStoreEnvironmentList: [{ environmentName: 'production', file: JKS_FILE }] }),
        'keyStoreEnvironmentList[0].type',
      ],
      [
        'file',
        aKeystore({ keyStoreEnvironmentList: [{ environmentName: 'production', type: 'JKS' }] }),
        'keyStoreEnvironmentList[0].file',
      ],
    ])('rejects a keystore without %s', async (_case, body, field) => {
      const res = await api(app).post(keystoresPath()).set(auth()).send(body).expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(res.body.validation_errors).toEqual([{ field, message: 'is required' }]);
      expect(res.body.error_description).toBe(`Validation failed: ${field} is required`);
    });

    it('rejects an empty environment list', async () => {
      const res = await api(app)
        .post(keystoresPath())
        .set(auth())
        .send(aKeystore({ keyStoreEnvironmentList: [] }))
        .expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(fieldsOf(res.body)).toEqual(['keyStoreEnvironmentList']);
    });

    it('rejects a property the document does not define', async () => {
      const res = await api(app)
        .post(keystoresPath())
        .set(auth())
        .send(aKeystore({ colour: 'blue' }))
        .expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(fieldsOf(res.body)).toEqual(['colour']);
    });
  });

  describe('type', () => {
    it.each(['JKS', 'PKCS12'])('accepts the type %s', async (type) => {
      await api(app).post(keystoresPath()).set(auth()).send(withEntry({ type })).expect(200);
      const res = await api(app).get(keystorePath('my-keystore')).set(auth()).expect(200);
      expect(res.body.resultList[0].keyStoreEnvironmentList[0].type).toBe(type);
    });

    it.each(['PEM', 'jks', 'pkcs12', ''])('rejects the type "%s"', async (type) => {
      const res = await api(app).post(keystoresPath()).set(auth()).send(withEntry({ type })).expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(res.body.validation_errors).toEqual([
        { field: 'keyStoreEnvironmentList[0].type', message: 'must be one of: JKS, PKCS12' },
      ]);
    });
  });

  describe('file', () => {
    it.each([
      ['one byte with two padding characters', 'AA=='],
      ['two bytes with one padding character', 'AAE='],
      ['three bytes without padding', 'AAEC'],
      ['the characters + and /', '/u3+7Q=='],
      ['a real JKS header', JKS_FILE],
    ])('accepts standard base64 of %s', async (_case, file) => {
      await api(app).post(keystoresPath()).set(auth()).send(withEntry({ file })).expect(200);
      const res = await api(app).get(keystorePath('my-keystore')).set(auth()).expect(200);
      expect(res.body.resultList[0].keyStoreEnvironmentList[0].file).toBe(file);
    });

    it.each([
      ['an empty file', ''],
      ['padding alone', '===='],
      ['the URL-safe character -', '-u3-7Q=='],
      ['the URL-safe character _', '_u3_7Q=='],
      ['missing padding', 'AA'],
      ['a missing padding character', 'AAE'],
      ['a space', 'AAEC AAEC'],
      ['a line break', 'AAEC\nAAEC'],
      ['a trailing line break', 'AAEC\n'],
      ['padding in the middle', 'AA==AAEC'],
      ['a character outside the alphabet', 'AAE*'],
    ])('rejects a file with %s as validation_failed on the file', async (_case, file) => {
      const res = await api(app).post(keystoresPath()).set(auth()).send(withEntry({ file })).expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(fieldsOf(res.body)).toContain('keyStoreEnvironmentList[0].file');
    });
  });

  describe('file size against the default limit of 5 MiB', () => {
    it('accepts a file of exactly 5 MiB', async () => {
      await api(app)
        .post(keystoresPath())
        .set(auth())
        .send(withEntry({ file: fileOf(5 * MIB) }))
        .expect(200);
    });

    it('rejects a file of 5 MiB and one byte', async () => {
      const res = await api(app)
        .post(keystoresPath())
        .set(auth())
        .send(withEntry({ file: fileOf(5 * MIB + 1) }))
        .expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(fieldsOf(res.body)).toEqual(['keyStoreEnvironmentList[0].file']);
    });
  });

  describe('environments', () => {
    it('accepts every environment of the project once each', async () => {
      const keyStoreEnvironmentList = ['production', 'staging', 'development'].map((environmentName) => ({
        environmentName,
        type: 'JKS',
        file: JKS_FILE,
      }));
      await api(app).post(keystoresPath()).set(auth()).send(aKeystore({ keyStoreEnvironmentList })).expect(200);
    });

    it('rejects an environment listed twice, naming the repeated entry', async () => {
      const body = aKeystore({
        keyStoreEnvironmentList: [
          { environmentName: 'production', type: 'JKS', file: JKS_FILE },
          { environmentName: 'staging', type: 'JKS', file: JKS_FILE },
          { environmentName: 'production', type: 'PKCS12', file: JKS_FILE },
        ],
      });
      const res = await api(app).post(keystoresPath()).set(auth()).send(body).expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(fieldsOf(res.body)).toEqual(['keyStoreEnvironmentList[2].environmentName']);
    });

    it.each([
      ['an unknown name', 'qa'],
      ['a name in another case', 'Production'],
    ])("rejects an environment with %s in the product's words", async (_case, environmentName) => {
      const res = await api(app).post(keystoresPath()).set(auth()).send(withEntry({ environmentName })).expect(400);
      expect(res.body).toEqual({
        error: 'bad_request',
        error_description: `Environment (${environmentName}) is not found or user does not have privilege to access it!`,
      });
    });

    it('rejects an update that moves a keystore to an unknown environment', async () => {
      await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
      const res = await api(app)
        .put(keystorePath('my-keystore'))
        .set(auth())
        .send(withEntry({ environmentName: 'qa' }))
        .expect(400);
      expect(res.body).toEqual({
        error: 'bad_request',
        error_description: 'Environment (qa) is not found or user does not have privilege to access it!',
      });
    });
  });

  describe('update query', () => {
    beforeEach(async () => {
      await api(app).post(keystoresPath()).set(auth()).send(aKeystore()).expect(200);
    });

    it.each([
      ['updateReferencedJwks=true without updateScope', 'updateReferencedJwks=true', 'updateScope'],
      ['an updateScope outside the enum', 'updateReferencedJwks=true&updateScope=EVERYWHERE', 'updateScope'],
      ['an updateReferencedJwks that is not a boolean', 'updateReferencedJwks=maybe', 'updateReferencedJwks'],
    ])('rejects %s as validation_failed', async (_case, query, field) => {
      const res = await api(app)
        .put(`${keystorePath('my-keystore')}?${query}`)
        .set(auth())
        .send(aKeystore())
        .expect(400);
      expect(res.body.error).toBe('validation_failed');
      expect(fieldsOf(res.body)).toEqual([field]);
    });

    it('accepts updateReferencedJwks=false without updateScope', async () => {
      await api(app)
        .put(`${keystorePath('my-keystore')}?updateReferencedJwks=false`)
        .set(auth())
        .send(aKeystore())
        .expect(200);
    });
  });
});

describe('keystore file size against a lowered limit', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp({ maxFileBytes: 8 }));
  });

  it('accepts a file that decodes to exactly the limit', async () => {
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(withEntry({ file: fileOf(8) }))
      .expect(200);
  });

  it('rejects a file that decodes to one byte above the limit', async () => {
    const res = await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(withEntry({ file: fileOf(9) }))
      .expect(400);
    expect(res.body.error).toBe('validation_failed');
    expect(fieldsOf(res.body)).toEqual(['keyStoreEnvironmentList[0].file']);
  });

  it('checks the size of every environment entry of an update', async () => {
    await api(app)
      .post(keystoresPath())
      .set(auth())
      .send(withEntry({ file: fileOf(8) }))
      .expect(200);
    const body = aKeystore({
      keyStoreEnvironmentList: [
        { environmentName: 'production', type: 'JKS', file: fileOf(8) },
        { environmentName: 'staging', type: 'JKS', file: fileOf(9) },
      ],
    });
    const res = await api(app).put(keystorePath('my-keystore')).set(auth()).send(body).expect(400);
    expect(res.body.error).toBe('validation_failed');
    expect(fieldsOf(res.body)).toEqual(['keyStoreEnvironmentList[1].file']);
  });
});
