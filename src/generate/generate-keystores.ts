import type { Faker } from '@faker-js/faker';
import type { KeystoreInput, ProjectInfo } from '../keystores/keystore';

/** The first bytes of a real JKS file: magic 0xFEEDFEED, then version 2. */
const JKS_HEADER = [0xfe, 0xed, 0xfe, 0xed, 0x00, 0x00, 0x00, 0x02];
/** The first bytes of a real PKCS12 file: a DER SEQUENCE with a long length, then version 3. */
const PKCS12_HEADER = [0x30, 0x82, 0x0a, 0x3c, 0x02, 0x01, 0x03, 0x30, 0x82];

function fakeFile(type: 'JKS' | 'PKCS12', faker: Faker): string {
  const header = type === 'JKS' ? JKS_HEADER : PKCS12_HEADER;
  const body = Array.from({ length: faker.number.int({ min: 64, max: 512 }) }, () => faker.number.int(255));
  return Buffer.from([...header, ...body]).toString('base64');
}

/**
 * Makes `count` realistic keystores for a project: unique names, a description, environments
 * drawn from the project, and base64 files whose bytes begin like real JKS or PKCS12 files.
 *
 * @example
 * generateKeystores(project, 25, createSeededFaker(42))
 */
export function generateKeystores(project: ProjectInfo, count: number, faker: Faker): KeystoreInput[] {
  const names = new Set<string>();
  const keystores: KeystoreInput[] = [];
  while (keystores.length < count) {
    const base =
      `${faker.word.adjective()}-${faker.word.noun()}-${faker.helpers.arrayElement(['keystore', 'truststore', 'certs', 'tls', 'mtls'])}`
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, '');
    const name = names.has(base) ? `${base}-${keystores.length + 1}` : base;
    names.add(name);
    const environments = faker.helpers.arrayElements(project.environmentNames, {
      min: 1,
      max: project.environmentNames.length,
    });
    const type = faker.helpers.arrayElement(['JKS', 'PKCS12'] as const);
    keystores.push({
      name,
      description: `${faker.company.buzzPhrase()} for ${faker.internet.domainName()}`,
      keyStoreEnvironmentList: environments.map((environmentName) => ({
        environmentName,
        type,
        file: fakeFile(type, faker),
      })),
    });
  }
  return keystores;
}
