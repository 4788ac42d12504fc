import type { Express } from 'express';
import { api } from '../helpers/contract-request';
import { auth, keystorePath, keystoresPath, testApp } from '../helpers/world';

const PROJECTS = ['MyProject', 'OtherProject'];
const ENVIRONMENTS = ['production', 'staging', 'development'];
const MAGIC = { JKS: [0xfe, 0xed, 0xfe, 0xed], PKCS12: [0x30, 0x82] } as const;

interface Listed {
  name: string;
  description?: string;
  keyStoreEnvironmentList: { environmentName: string; type: keyof typeof MAGIC; file: string }[];
  projectId: string;
}

async function listOf(app: Express, project: string): Promise<Listed[]> {
  return (await api(app).get(keystoresPath(project)).set(auth()).expect(200)).body.resultList as Listed[];
}

describe('--generate N', () => {
  let app: Express;

  beforeEach(async () => {
    ({ app } = await testApp({ generate: 5 }));
  });

  it.each(PROJECTS)('fills %s with N keystores', async (project) => {
    expect(await listOf(app, project)).toHaveLength(5);
  });

  it.each(PROJECTS)('serves every generated keystore of %s by GET', async (project) => {
    const names = (await listOf(app, project)).map((keystore) => keystore.name);
    const counts = [];
    for (const name of names) {
      counts.push((await api(app).get(keystorePath(name, project)).set(auth()).expect(200)).body.resultCount);
    }
    expect(counts).toEqual([1, 1, 1, 1, 1]);
  });

  it.each(PROJECTS)('gives the keystores of %s unique, realistic names', async (project) => {
    const names = (await listOf(app, project)).map((keystore) => keystore.name);
    expect({ unique: new Set(names).size, names }).toEqual({
      unique: 5,
      names: names.map(() => expect.stringMatching(/^[a-z]+(-[a-z0-9]+){2,}$/)),
    });
  });

  it.each(PROJECTS)('draws the environments of each keystore of %s from the project, once each', async (project) => {
    for (const keystore of await listOf(app, project)) {
      const environments = keystore.keyStoreEnvironmentList.map((entry) => entry.environmentName);
      expect(environments.length).toBeGreaterThan(0);
      expect(new Set(environments).size).toBe(environments.length);
      expect(ENVIRONMENTS).toEqual(expect.arrayContaining(environments));
    }
  });

  it.each(PROJECTS)('gives each file of %s the first bytes of its keystore type', async (project) => {
    const headers = (await listOf(app, project)).flatMap((keystore) =>
      keystore.keyStoreEnvironmentList.map((entry) => {
        const bytes = [...Buffer.from(entry.file, 'base64')];
        return { type: entry.type, start: bytes.slice(0, MAGIC[entry.type].length) };
      }),
    );
    expect(headers).toEqual(headers.map((header) => ({ type: header.type, start: [...MAGIC[header.type]] })));
  });

  it('writes the files in standard padded base64', async () => {
    const files = (await listOf(app, 'MyProject')).flatMap((keystore) =>
      keystore.keyStoreEnvironmentList.map((entry) => entry.file),
    );
    expect(files.every((file) => Buffer.from(file, 'base64').toString('base64') === file)).toBe(true);
  });

  it('stamps the generated keystores with their project id', async () => {
    const ids = (await listOf(app, 'OtherProject')).map((keystore) => keystore.projectId);
    expect(ids).toEqual(Array.from({ length: 5 }, () => '64f0c0ffee00000000000002'));
  });

  it('generates nothing by default', async () => {
    const { app: plain } = await testApp();
    expect(await listOf(plain, 'MyProject')).toEqual([]);
  });
});
