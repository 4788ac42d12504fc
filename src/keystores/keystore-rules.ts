import { errors, type FieldError } from '../errors';
import type { KeystoreInput, ProjectInfo } from './keystore';

/** The same words as the document's `x-pattern-message` for files: to the client it is one rule. */
const BASE64_MESSAGE = 'must be standard base64 (RFC 4648 section 4) with "=" padding and no whitespace';

/**
 * The hint for an unknown environment. The contract keeps it out of the body (the product's
 * words win there), so it goes to the journal entry and the log line instead.
 *
 * @example
 * unknownEnvironmentNote('stagng', project) // 'environment "stagng" is not an environment of project MyProject; known: production, staging, development'
 */
export function unknownEnvironmentNote(environment: string, project: ProjectInfo): string {
  return `environment "${environment}" is not an environment of project ${project.name}; known: ${project.environmentNames.join(', ')}`;
}

/**
 * Checks the rules of a keystore that its schema cannot express, in the contract's order:
 * each environment at most once, each file a whole number of base64 quanta and within the
 * limit (validation_failed), then every environment belonging to the project (bad_request).
 * Throws the first failure; `note` receives the hint that the product's words leave out of
 * the body (which environments the project has).
 *
 * @example
 * checkKeystoreRules(body, project, config.maxFileBytes, input.note);
 */
export function checkKeystoreRules(
  input: KeystoreInput,
  project: ProjectInfo,
  maxFileBytes: number,
  note: (text: string) => void = () => undefined,
): void {
  const problems: FieldError[] = [];
  const seen = new Set<string>();
  for (const [index, entry] of input.keyStoreEnvironmentList.entries()) {
    if (seen.has(entry.environmentName)) {
      problems.push({
        field: `keyStoreEnvironmentList[${index}].environmentName`,
        message: `repeats environment "${entry.environmentName}"; each environment may appear once`,
      });
    }
    seen.add(entry.environmentName);
    if (entry.file.length % 4 !== 0) {
      problems.push({ field: `keyStoreEnvironmentList[${index}].file`, message: BASE64_MESSAGE });
      continue;
    }
    // Node counts the decoded bytes from the length and padding, without decoding.
    const size = Buffer.byteLength(entry.file, 'base64');
    if (size > maxFileBytes) {
      problems.push({
        field: `keyStoreEnvironmentList[${index}].file`,
        message: `decodes to ${size} bytes, more than the limit of ${maxFileBytes} bytes`,
      });
    }
  }
  if (problems.length > 0) throw errors.validationFailed(problems);
  for (const entry of input.keyStoreEnvironmentList) {
    if (!project.environmentNames.includes(entry.environmentName)) {
      note(unknownEnvironmentNote(entry.environmentName, project));
      throw errors.environmentNotInProject(entry.environmentName);
    }
  }
}
