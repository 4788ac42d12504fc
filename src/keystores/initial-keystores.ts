import type { Config } from '../config';
import { StartupError, displayPath } from '../fixtures/read-data-file';
import type { World } from '../fixtures/world';
import { generateKeystores } from '../generate/generate-keystores';
import { createSeededFaker, deriveSeed } from '../generate/seeded-faker';
import { checkSnapshot, type KeystoreSchemaCheck } from './check-snapshot';
import type { ProjectInfo } from './keystore';
import type { StoreSnapshot } from './keystore-store';

/**
 * What every new or reset session starts with: the fixture keystores plus `--generate N`
 * faker-made ones per project, checked exactly as creates are. A bad fixture stops start-up.
 *
 * @example
 * const initial = initialKeystores(world, projects, config, checkKeystoreSchema);
 */
export function initialKeystores(
  world: World,
  projects: readonly ProjectInfo[],
  config: Config,
  checkSchema: KeystoreSchemaCheck,
): StoreSnapshot {
  const byProject: Record<string, unknown[]> = {};
  for (const [index, project] of world.projects.entries()) {
    const info = projects[index];
    const generated =
      config.generate > 0 && info !== undefined
        ? generateKeystores(info, config.generate, createSeededFaker(deriveSeed(config.seed, 'generate', project.name)))
        : [];
    byProject[project.name] = [...project.keystores, ...generated];
  }
  const { snapshot, problems } = checkSnapshot(byProject, {
    projects,
    checkSchema,
    maxFileBytes: config.maxFileBytes,
    maxPerProject: config.maxKeystoresPerProject,
  });
  const [problem] = problems;
  if (problem !== undefined) {
    throw new StartupError(
      `Failed to load ${displayPath(`${config.fixturesDir}/world.yaml`)}: ${problem.field} ${problem.message}.`,
    );
  }
  return snapshot;
}
