import { ApiError, type FieldError } from '../errors';
import type { KeystoreInput, ProjectInfo } from './keystore';
import { KeystoreStore, type StoreSnapshot } from './keystore-store';
import { checkKeystoreRules } from './keystore-rules';

/** Checks one keystore against the document's schema, returning its problems. */
export type KeystoreSchemaCheck = (keystore: unknown) => FieldError[];

/** What a snapshot is checked against. */
export interface SnapshotRules {
  projects: readonly ProjectInfo[];
  checkSchema: KeystoreSchemaCheck;
  maxFileBytes: number;
  maxPerProject: number;
}

/**
 * Checks keystores given by project name exactly as creates would be checked: the schema and
 * the rules a schema cannot express here, then uniqueness and the per-project limit in the
 * store, which alone owns them. Returns every problem when there is any.
 *
 * @example
 * const { snapshot, problems } = checkSnapshot({ MyProject: [keystore] }, rules);
 */
export function checkSnapshot(
  input: Readonly<Record<string, readonly unknown[]>>,
  rules: SnapshotRules,
): { snapshot: StoreSnapshot; problems: FieldError[] } {
  return KeystoreStore.load(rules.projects, { maxPerProject: rules.maxPerProject }, input, (keystore, project) => {
    const schemaProblems = rules.checkSchema(keystore);
    if (schemaProblems.length > 0) return schemaProblems;
    // The hints a request keeps out of its body (the known environments) belong in these messages.
    const hints: string[] = [];
    try {
      checkKeystoreRules(keystore as KeystoreInput, project, rules.maxFileBytes, (hint) => void hints.push(hint));
      return [];
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const message = hints.length === 0 ? error.description : `${error.description} (${hints.join('; ')})`;
      return error.fieldErrors ?? [{ field: 'body', message }];
    }
  });
}
