import { isDeepStrictEqual } from 'node:util';
import type { SessionTemplate } from '../sessions/session-registry';

/**
 * Why sessions made from `previous` would differ from sessions made from `next`: one sentence
 * per project added, removed or changed (id, environments, the keystores it starts with), and
 * for the tokens and users. Empty when the store of sessions can be kept as it is.
 *
 * @example
 * templateChanges(before, after); // ['project "Billing" was added']
 */
export function templateChanges(previous: SessionTemplate, next: SessionTemplate): string[] {
  const reasons: string[] = [];
  const before = new Map(previous.projects.map((project) => [project.name, project]));
  const after = new Map(next.projects.map((project) => [project.name, project]));
  for (const name of before.keys()) {
    if (!after.has(name)) reasons.push(`project "${name}" was removed`);
  }
  for (const [name, project] of after) {
    const old = before.get(name);
    if (old === undefined) {
      reasons.push(`project "${name}" was added`);
      continue;
    }
    if (old.id !== project.id) reasons.push(`project "${name}" changed its id from ${old.id} to ${project.id}`);
    if (!isDeepStrictEqual(old.environmentNames, project.environmentNames)) {
      const names = (list: readonly string[]) => list.join(', ') || 'none';
      reasons.push(
        `project "${name}" changed its environments from ${names(old.environmentNames)} to ${names(project.environmentNames)}`,
      );
    }
    if (!isDeepStrictEqual(previous.initialKeystores[name] ?? [], next.initialKeystores[name] ?? [])) {
      reasons.push(`project "${name}" starts with other keystores`);
    }
  }
  if (!isDeepStrictEqual(previous.world.tokens, next.world.tokens)) reasons.push('the tokens changed');
  if (!isDeepStrictEqual(previous.world.users, next.world.users)) reasons.push('the users changed');
  return reasons;
}
