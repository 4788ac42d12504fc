import { ApiError, type FieldError } from '../errors';
import { toStoredKeystore, type KeystoreInput, type ProjectInfo } from './keystore';
import type { StoreSnapshot } from './keystore-store';
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

function prefixed(prefix: string, problems: readonly FieldError[]): FieldError[] {
  return problems.map((problem) => ({
    field: problem.field === 'body' ? prefix : `${prefix}.${problem.field}`,
    message: problem.message,
  }));
}

/**
 * Checks keystores given by project name exactly as creates would be checked (schema,
 * environments, file size, unique names, the per-project limit), and returns them in stored
 * form. Returns every problem instead when there is any; nothing is stored either way.
 *
 * @example
 * const { snapshot, problems } = checkSnapshot({ MyProject: [keystore] }, rules);
 */
export function checkSnapshot(
  input: Readonly<Record<string, readonly unknown[]>>,
  rules: SnapshotRules,
): { snapshot: StoreSnapshot; problems: FieldError[] } {
  const problems: FieldError[] = [];
  const snapshot: StoreSnapshot = {};
  const byName = new Map(rules.projects.map((project) => [project.name, project]));
  for (const [projectName, keystores] of Object.entries(input)) {
    const project = byName.get(projectName);
    if (project === undefined) {
      problems.push({
        field: `projects.${projectName}`,
        message: `is not a project of the fixtures (${[...byName.keys()].join(', ')})`,
      });
      continue;
    }
    if (keystores.length > rules.maxPerProject) {
      problems.push({
        field: `projects.${projectName}.keystores`,
        message: `holds ${keystores.length} keystores, more than the limit of ${rules.maxPerProject}`,
      });
      continue;
    }
    const names = new Set<string>();
    const stored = [];
    for (const [index, keystore] of keystores.entries()) {
      const prefix = `projects.${projectName}.keystores[${index}]`;
      const schemaProblems = rules.checkSchema(keystore);
      if (schemaProblems.length > 0) {
        problems.push(...prefixed(prefix, schemaProblems));
        continue;
      }
      const input = keystore as KeystoreInput;
      try {
        checkKeystoreRules(input, project, rules.maxFileBytes);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        problems.push(...prefixed(prefix, error.fieldErrors ?? [{ field: 'body', message: error.description }]));
        continue;
      }
      if (names.has(input.name)) {
        problems.push({ field: `${prefix}.name`, message: `repeats the keystore name "${input.name}" in the project` });
        continue;
      }
      names.add(input.name);
      stored.push(toStoredKeystore(input, project.id));
    }
    snapshot[projectName] = stored;
  }
  return { snapshot, problems };
}
