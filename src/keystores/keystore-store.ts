import { ApiError, errors, type FieldError } from '../errors';
import { toStoredKeystore, type Keystore, type KeystoreInput, type ProjectInfo } from './keystore';

interface ProjectKeystores {
  readonly project: ProjectInfo;
  /** Keyed by name; the Map's order is creation order. */
  keystores: Map<string, Keystore>;
  /** Names held by creates and renames whose deployment is still running. */
  readonly reserved: Set<string>;
  /** Bumped on every change, so callers can cache what they derive from the list. */
  version: number;
}

/** A name held for a create or rename in progress; released when the change is committed or abandoned. */
export interface NameReservation {
  readonly projectName: string;
  readonly name: string;
  /** Frees the name; harmless when called twice. */
  release(): void;
}

/** The exported form of a store: keystores by project name, in creation order. */
export type StoreSnapshot = Record<string, Keystore[]>;

/** Checks one keystore that did not arrive through a create request (schema and rules), returning its problems. */
export type KeystoreCheck = (keystore: unknown, project: ProjectInfo) => FieldError[];

const LIMIT_EXCEEDED = errors.keystoreLimitReached('', 0).code;

function prefixed(prefix: string, problems: readonly FieldError[]): FieldError[] {
  return problems.map((problem) => ({
    field: problem.field === 'body' ? prefix : `${prefix}.${problem.field}`,
    message: problem.message,
  }));
}

/**
 * The keystores of one session. It alone enforces uniqueness, renames and deletes; every
 * change is made synchronously, so a change is atomic even when the caller awaits afterwards,
 * and an error leaves the store as it was.
 *
 * @example
 * const store = new KeystoreStore(projects, { maxPerProject: 10_000 });
 * store.create('MyProject', input);
 */
export class KeystoreStore {
  private readonly projects = new Map<string, ProjectKeystores>();

  constructor(
    projects: readonly ProjectInfo[],
    private readonly limits: { maxPerProject: number },
    initial: StoreSnapshot = {},
  ) {
    for (const project of projects) {
      const keystores = new Map<string, Keystore>();
      for (const keystore of initial[project.name] ?? []) keystores.set(keystore.name, keystore);
      this.projects.set(project.name, { project, keystores, reserved: new Set(), version: 0 });
    }
  }

  /**
   * Loads keystores given by project name (fixtures, `PUT /__mock/state`) through `create`, so
   * uniqueness and the per-project limit are the store's own rules here too. Returns them in
   * stored form, or every problem when there is any; no store is changed either way.
   *
   * @example
   * const { snapshot, problems } = KeystoreStore.load(projects, limits, { MyProject: [keystore] }, check);
   */
  static load(
    projects: readonly ProjectInfo[],
    limits: { maxPerProject: number },
    input: Readonly<Record<string, readonly unknown[]>>,
    check: KeystoreCheck,
  ): { snapshot: StoreSnapshot; problems: FieldError[] } {
    const scratch = new KeystoreStore(projects, limits);
    const problems: FieldError[] = [];
    for (const [projectName, keystores] of Object.entries(input)) {
      const project = scratch.project(projectName);
      if (project === undefined) {
        const known = projects.map((candidate) => candidate.name).join(', ');
        problems.push({ field: `projects.${projectName}`, message: `is not a project of the fixtures (${known})` });
        continue;
      }
      for (const [index, keystore] of keystores.entries()) {
        const prefix = `projects.${projectName}.keystores[${index}]`;
        const found = check(keystore, project);
        if (found.length > 0) {
          problems.push(...prefixed(prefix, found));
          continue;
        }
        try {
          scratch.create(projectName, keystore as KeystoreInput);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          const full = error.code === LIMIT_EXCEEDED;
          problems.push({
            field: full ? `projects.${projectName}.keystores` : `${prefix}.name`,
            message: error.description,
          });
          // Past the limit every further keystore fails the same way: one problem says it.
          if (full) break;
        }
      }
    }
    return { snapshot: scratch.snapshot(), problems };
  }

  /** The project, or undefined when no project has that (case-sensitive) name. */
  project(name: string): ProjectInfo | undefined {
    return this.projects.get(name)?.project;
  }

  /** Every project this store knows. */
  projectInfos(): ProjectInfo[] {
    return [...this.projects.values()].map((entry) => entry.project);
  }

  /** The keystores of a project in creation order. */
  list(projectName: string): Keystore[] {
    return [...this.entry(projectName).keystores.values()];
  }

  /** A number that changes whenever the project's keystores change. */
  version(projectName: string): number {
    return this.entry(projectName).version;
  }

  /** One keystore; throws not_found when it does not exist. */
  get(projectName: string, name: string): Keystore {
    const keystore = this.entry(projectName).keystores.get(name);
    if (keystore === undefined) throw errors.keystoreNotFound(name);
    return keystore;
  }

  /** Whether the project holds a keystore of that name. */
  has(projectName: string, name: string): boolean {
    return this.entry(projectName).keystores.has(name);
  }

  /** Checks that a create would succeed, without changing anything: the name is neither used nor reserved. */
  assertCanCreate(projectName: string, name: string, reservation?: NameReservation): void {
    const entry = this.entry(projectName);
    if (entry.keystores.has(name) || (entry.reserved.has(name) && reservation?.name !== name)) {
      throw errors.duplicateKeystore(name);
    }
    const pending = reservation === undefined ? entry.reserved.size : entry.reserved.size - 1;
    if (entry.keystores.size + pending >= this.limits.maxPerProject) {
      throw errors.keystoreLimitReached(projectName, this.limits.maxPerProject);
    }
  }

  /**
   * Holds a name for a create while its deployment runs, so that concurrent creates of the
   * same name get the duplicate error at once. Throws as `assertCanCreate` does.
   */
  reserve(projectName: string, name: string): NameReservation {
    this.assertCanCreate(projectName, name);
    return this.hold(projectName, name);
  }

  /** Stores a new keystore, consuming the name's reservation; throws the duplicate error when the name is taken. */
  create(projectName: string, input: KeystoreInput, reservation?: NameReservation): Keystore {
    this.assertCanCreate(projectName, input.name, reservation);
    const entry = this.entry(projectName);
    const keystore = toStoredKeystore(input, entry.project.id);
    reservation?.release();
    entry.keystores.set(keystore.name, keystore);
    entry.version += 1;
    return keystore;
  }

  /** Checks that a replace would succeed, without changing anything. */
  assertCanReplace(projectName: string, currentName: string, newName: string, reservation?: NameReservation): void {
    const entry = this.entry(projectName);
    if (!entry.keystores.has(currentName)) throw errors.keystoreNotFoundForUpdate(currentName);
    if (newName === currentName) return;
    if (entry.keystores.has(newName) || (entry.reserved.has(newName) && reservation?.name !== newName)) {
      throw errors.duplicateKeystore(newName);
    }
  }

  /** Holds the new name of a rename while its deployment runs. */
  reserveRename(projectName: string, currentName: string, newName: string): NameReservation | undefined {
    this.assertCanReplace(projectName, currentName, newName);
    return newName === currentName ? undefined : this.hold(projectName, newName);
  }

  /**
   * Replaces a keystore with a complete new version; a different name renames it in place,
   * keeping its position in the creation order. Consumes the new name's reservation.
   */
  replace(projectName: string, currentName: string, input: KeystoreInput, reservation?: NameReservation): Keystore {
    this.assertCanReplace(projectName, currentName, input.name, reservation);
    reservation?.release();
    const entry = this.entry(projectName);
    const keystore = toStoredKeystore(input, entry.project.id);
    if (input.name === currentName) {
      entry.keystores.set(currentName, keystore);
    } else {
      const renamed = new Map<string, Keystore>();
      for (const [name, existing] of entry.keystores) {
        if (name === currentName) renamed.set(keystore.name, keystore);
        else renamed.set(name, existing);
      }
      entry.keystores = renamed;
    }
    entry.version += 1;
    return keystore;
  }

  /** Removes a keystore and returns it; throws not_found when it does not exist. */
  remove(projectName: string, name: string): Keystore {
    const entry = this.entry(projectName);
    const keystore = this.get(projectName, name);
    entry.keystores.delete(name);
    entry.version += 1;
    return keystore;
  }

  /** Every keystore, by project. */
  snapshot(): StoreSnapshot {
    const snapshot: StoreSnapshot = {};
    for (const [name, entry] of this.projects) snapshot[name] = [...entry.keystores.values()];
    return snapshot;
  }

  /** Replaces every keystore at once; the snapshot must already be checked. */
  restore(snapshot: StoreSnapshot): void {
    for (const [name, entry] of this.projects) {
      entry.keystores = new Map((snapshot[name] ?? []).map((keystore) => [keystore.name, keystore]));
      entry.version += 1;
    }
  }

  /** How many keystores the store holds in all. */
  size(): number {
    let total = 0;
    for (const entry of this.projects.values()) total += entry.keystores.size;
    return total;
  }

  private hold(projectName: string, name: string): NameReservation {
    const { reserved } = this.entry(projectName);
    reserved.add(name);
    let held = true;
    return {
      projectName,
      name,
      release: () => {
        if (held) reserved.delete(name);
        held = false;
      },
    };
  }

  private entry(projectName: string): ProjectKeystores {
    const entry = this.projects.get(projectName);
    if (entry === undefined) throw errors.projectNotFound(projectName);
    return entry;
  }
}
