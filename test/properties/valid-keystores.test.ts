import fc from 'fast-check';
import type { MockApp } from '../../src/app';
import { api } from '../helpers/contract-request';
import { auth, keystorePath, keystoresPath, testApp } from '../helpers/world';
import {
  ENVIRONMENTS,
  keystoreBody,
  schemaPattern,
  storedForm,
  type ProjectName,
} from './support/keystore-arbitraries';
import { PROPERTY_TIMEOUT_MS, propertyOptions } from './support/property-options';

const NAME_PATTERN = schemaPattern('KeystoreName');
const FILE_PATTERN = schemaPattern('KeystoreFile');
const DESCRIPTION_PATTERN = schemaPattern('KeystoreInput', 'description');
const project = fc.constantFrom<ProjectName>('MyProject', 'OtherProject');

describe('valid keystores built from the schema rules', () => {
  let mock: MockApp;

  beforeAll(async () => {
    mock = await testApp();
  });

  it('satisfy the patterns and length limits of the served document', () => {
    fc.assert(
      fc.property(keystoreBody, (body) => {
        expect(NAME_PATTERN.test(body.name)).toBe(true);
        expect(Array.from(body.name).length).toBeGreaterThanOrEqual(1);
        expect(Array.from(body.name).length).toBeLessThanOrEqual(200);
        expect(DESCRIPTION_PATTERN.test(body.description ?? '')).toBe(true);
        const environments = body.keyStoreEnvironmentList.map((entry) => entry.environmentName);
        expect(new Set(environments).size).toBe(environments.length);
        for (const entry of body.keyStoreEnvironmentList) {
          expect(ENVIRONMENTS).toContain(entry.environmentName);
          expect(FILE_PATTERN.test(entry.file)).toBe(true);
          expect(Buffer.from(entry.file, 'base64').length).toBeGreaterThanOrEqual(1);
        }
      }),
      propertyOptions(1_000_001),
    );
  });

  it(
    'are created and read back unchanged through get and list',
    async () => {
      await fc.assert(
        fc
          .asyncProperty(project, keystoreBody, async (projectName, body) => {
            const created = await api(mock.app).post(keystoresPath(projectName)).set(auth()).send(body);
            expect(created.status).toBe(200);
            expect(
              created.body.deploymentResult.environmentResults.map(
                (result: { environmentName: string }) => result.environmentName,
              ),
            ).toEqual(body.keyStoreEnvironmentList.map((entry) => entry.environmentName));

            const expected = storedForm(body, projectName);
            const one = await api(mock.app).get(keystorePath(body.name, projectName)).set(auth());
            expect(one.status).toBe(200);
            expect(one.body).toStrictEqual({ success: true, resultList: [expected], resultCount: 1 });

            const all = await api(mock.app).get(keystoresPath(projectName)).set(auth());
            expect(all.status).toBe(200);
            expect(all.body).toStrictEqual({ success: true, resultList: [expected], resultCount: 1 });
          })
          .beforeEach(() => mock.reset()),
        propertyOptions(1_000_002),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});
