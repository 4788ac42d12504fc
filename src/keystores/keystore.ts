/** One environment a keystore is deployed to, with its file. */
export interface KeystoreEnvironment {
  environmentName: string;
  type: 'JKS' | 'PKCS12';
  /** Standard base64 of the keystore file. */
  file: string;
}

/** A keystore as a client sends it (already valid against the OpenAPI document). */
export interface KeystoreInput {
  name: string;
  description?: string;
  keyStoreEnvironmentList: KeystoreEnvironment[];
}

/** A stored keystore, as it is returned: the input plus the owning project's id. Never mutated. */
export interface Keystore extends KeystoreInput {
  projectId: string;
}

/** What the store needs to know of a project. */
export interface ProjectInfo {
  name: string;
  id: string;
  environmentNames: readonly string[];
}

/**
 * Builds the stored form from a validated input, keeping only the contract's fields in the
 * contract's order (a `projectId` sent by the client is ignored).
 *
 * @example
 * toStoredKeystore(body, project.id)
 */
export function toStoredKeystore(input: KeystoreInput, projectId: string): Keystore {
  const keyStoreEnvironmentList = input.keyStoreEnvironmentList.map((entry) => ({
    environmentName: entry.environmentName,
    type: entry.type,
    file: entry.file,
  }));
  const { name, description } = input;
  return description === undefined
    ? { name, keyStoreEnvironmentList, projectId }
    : { name, description, keyStoreEnvironmentList, projectId };
}
