import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { entryMatches, newest, type JournalEntry, type JournalFilter } from '../control/request-journal';
import { errors } from '../errors';
import { LazyFaker, deriveSeed } from '../generate/seeded-faker';
import { toStoredKeystore, type Keystore, type KeystoreInput, type ProjectInfo } from '../keystores/keystore';
import type { StoreSnapshot } from '../keystores/keystore-store';
import type { ScenarioFile } from '../scenarios/scenario';
import { DEFAULT_SESSION } from '../sessions/session-registry';
import { sessionKeys, type SessionKeys } from './redis-keys';
import { ScriptCode, type Script, type ScriptName } from './redis-scripts';
import type {
  HeldName,
  JournalRepository,
  KeystoreRepository,
  ScenarioRepository,
  Session,
  SessionState,
  StoredScenario,
  TokenRepository,
} from './world-store';

/** What every session of one Redis store shares. */
export interface RedisSessionContext {
  readonly redis: Redis;
  readonly scripts: Record<ScriptName, Script>;
  readonly namespace: string;
  readonly projects: ReadonlyMap<string, ProjectInfo>;
  readonly tokens: TokenRepository;
  readonly limits: {
    readonly maxKeystoresPerProject: number;
    readonly reservationTtlMs: number;
    readonly journalSize: number;
    readonly seed: number;
  };
}

/** A script's reply: its code and what follows it. */
interface ScriptReply {
  code: number;
  values: unknown[];
}

/**
 * Reads the `{code, ...}` a script answers.
 *
 * @example
 * const { code, values } = scriptReply(await scripts.remove(keys, args));
 */
export function scriptReply(reply: unknown): ScriptReply {
  const [code, ...values] = Array.isArray(reply) ? (reply as unknown[]) : [];
  if (typeof code !== 'number') throw new Error(`a Redis script answered ${JSON.stringify(reply)}, not {code, ...}`);
  return { code, values };
}

function unexpected(code: number): Error {
  return new Error(`a Redis script answered the unknown code ${code}`);
}

/**
 * One session's keystores in Redis. Each call is one script, so each change is one atomic
 * step whichever replica makes it. A session reset or evicted since it was opened (another
 * `born`) reads as the new one but keeps no change, as a detached memory session would.
 */
class RedisKeystores implements KeystoreRepository {
  /** Owner tokens of the names this session object holds; only names it handed out are honoured. */
  private readonly owners = new WeakMap<HeldName, string>();

  constructor(
    private readonly context: RedisSessionContext,
    private readonly keys: SessionKeys,
    private readonly born: string,
  ) {}

  async list(projectName: string): Promise<Keystore[]> {
    this.project(projectName);
    const reply = await this.context.scripts.list([this.keys.keystores(projectName), this.keys.order(projectName)], []);
    return (reply as string[]).map((json) => JSON.parse(json) as Keystore);
  }

  async get(projectName: string, name: string): Promise<Keystore> {
    this.project(projectName);
    const json = await this.context.redis.hget(this.keys.keystores(projectName), name);
    if (json === null) throw errors.keystoreNotFound(name);
    return JSON.parse(json) as Keystore;
  }

  async assertCanCreate(projectName: string, name: string): Promise<void> {
    await this.reserveOrCheck(projectName, name, undefined);
  }

  async reserve(projectName: string, name: string): Promise<HeldName> {
    const owner = randomUUID();
    await this.reserveOrCheck(projectName, name, owner);
    return this.held(projectName, name, owner);
  }

  async create(projectName: string, input: KeystoreInput, held: HeldName): Promise<Keystore> {
    const keystore = toStoredKeystore(input, this.project(projectName).id);
    const { code } = scriptReply(
      await this.context.scripts.create(this.changeKeys(projectName), [
        this.born,
        keystore.name,
        JSON.stringify(keystore),
        this.context.limits.maxKeystoresPerProject,
        this.ownerOf(held, projectName, keystore.name),
      ]),
    );
    this.creationOutcome(code, projectName, keystore.name);
    return keystore;
  }

  async assertCanReplace(projectName: string, currentName: string, newName: string): Promise<void> {
    await this.reserveRenameOrCheck(projectName, currentName, newName, undefined);
  }

  async reserveRename(projectName: string, currentName: string, newName: string): Promise<HeldName | undefined> {
    const owner = randomUUID();
    await this.reserveRenameOrCheck(projectName, currentName, newName, owner);
    return newName === currentName ? undefined : this.held(projectName, newName, owner);
  }

  async replace(
    projectName: string,
    currentName: string,
    input: KeystoreInput,
    held: HeldName | undefined,
  ): Promise<Keystore> {
    const keystore = toStoredKeystore(input, this.project(projectName).id);
    const { code } = scriptReply(
      await this.context.scripts.replace(this.changeKeys(projectName), [
        this.born,
        currentName,
        keystore.name,
        JSON.stringify(keystore),
        this.ownerOf(held, projectName, keystore.name),
      ]),
    );
    this.replaceOutcome(code, currentName, keystore.name);
    return keystore;
  }

  async remove(projectName: string, name: string): Promise<Keystore> {
    this.project(projectName);
    const { code, values } = scriptReply(
      await this.context.scripts.remove(
        [this.keys.meta, this.keys.keystores(projectName), this.keys.order(projectName)],
        [this.born, name],
      ),
    );
    if (code === ScriptCode.notFound || code === ScriptCode.gone) throw errors.keystoreNotFound(name);
    if (code !== ScriptCode.ok) throw unexpected(code);
    return JSON.parse(String(values[0])) as Keystore;
  }

  private async reserveOrCheck(projectName: string, name: string, owner: string | undefined): Promise<void> {
    this.project(projectName);
    const { code } = scriptReply(
      await this.context.scripts.reserve(this.holdKeys(projectName), [
        this.born,
        name,
        this.context.limits.maxKeystoresPerProject,
        this.context.limits.reservationTtlMs,
        owner ?? '',
        owner === undefined ? '0' : '1',
      ]),
    );
    this.creationOutcome(code, projectName, name);
  }

  private async reserveRenameOrCheck(
    projectName: string,
    currentName: string,
    newName: string,
    owner: string | undefined,
  ): Promise<void> {
    this.project(projectName);
    const { code } = scriptReply(
      await this.context.scripts.reserveRename(this.holdKeys(projectName), [
        this.born,
        currentName,
        newName,
        this.context.limits.reservationTtlMs,
        owner ?? '',
        owner === undefined ? '0' : '1',
      ]),
    );
    this.replaceOutcome(code, currentName, newName);
  }

  /** A create (or its check) on a session that is gone succeeds and keeps nothing. */
  private creationOutcome(code: number, projectName: string, name: string): void {
    if (code === ScriptCode.ok || code === ScriptCode.gone) return;
    if (code === ScriptCode.duplicate) throw errors.duplicateKeystore(name);
    if (code === ScriptCode.limitReached) {
      throw errors.keystoreLimitReached(projectName, this.context.limits.maxKeystoresPerProject);
    }
    throw unexpected(code);
  }

  /** A session that is gone has nothing to replace. */
  private replaceOutcome(code: number, currentName: string, newName: string): void {
    if (code === ScriptCode.ok) return;
    if (code === ScriptCode.notFoundForUpdate || code === ScriptCode.gone) {
      throw errors.keystoreNotFoundForUpdate(currentName);
    }
    if (code === ScriptCode.duplicate) throw errors.duplicateKeystore(newName);
    throw unexpected(code);
  }

  private held(projectName: string, name: string, owner: string): HeldName {
    const { scripts } = this.context;
    const keys = [this.keys.held(projectName), this.keys.owners(projectName)];
    const held: HeldName = {
      projectName,
      name,
      release: async () => {
        await scripts.release(keys, [name, owner]);
      },
    };
    this.owners.set(held, owner);
    return held;
  }

  /** The owner token a change may consume: only for the very name and project it holds. */
  private ownerOf(held: HeldName | undefined, projectName: string, name: string): string {
    if (held === undefined || held.projectName !== projectName || held.name !== name) return '';
    return this.owners.get(held) ?? '';
  }

  private holdKeys(projectName: string): string[] {
    const { keys } = this;
    return [keys.meta, keys.keystores(projectName), keys.held(projectName), keys.owners(projectName)];
  }

  private changeKeys(projectName: string): string[] {
    const { keys } = this;
    return [
      keys.meta,
      keys.keystores(projectName),
      keys.order(projectName),
      keys.held(projectName),
      keys.owners(projectName),
    ];
  }

  private project(projectName: string): ProjectInfo {
    const project = this.context.projects.get(projectName);
    if (project === undefined) throw errors.projectNotFound(projectName);
    return project;
  }
}

/** One session's journal: a stream capped at the journal size, whose entry ids are the sequences. */
class RedisJournal implements JournalRepository {
  constructor(
    private readonly context: RedisSessionContext,
    private readonly keys: SessionKeys,
    private readonly born: string,
  ) {}

  async record(entry: Omit<JournalEntry, 'sequence'>): Promise<JournalEntry> {
    const { journalSize } = this.context.limits;
    if (journalSize === 0) return { sequence: 0, ...entry };
    const reply = await this.context.scripts.record(
      [this.keys.meta, this.keys.journal],
      [this.born, journalSize, JSON.stringify(entry)],
    );
    const { code, values } = scriptReply(reply);
    if (code === ScriptCode.gone) return { sequence: 0, ...entry };
    if (code !== ScriptCode.ok) throw unexpected(code);
    return { sequence: Number(values[0]), ...entry };
  }

  async entries(filter: JournalFilter = {}): Promise<JournalEntry[]> {
    const found: JournalEntry[] = [];
    for (const [id, fields] of await this.context.redis.xrange(this.keys.journal, '-', '+')) {
      const sequence = Number(id.split('-')[0]);
      const entry = { sequence, ...(JSON.parse(fields[1] ?? '{}') as Omit<JournalEntry, 'sequence'>) };
      if (entryMatches(entry, filter)) found.push(entry);
    }
    return newest(found, filter.limit);
  }

  async clear(): Promise<number> {
    const { code, values } = scriptReply(
      await this.context.scripts.clearJournal([this.keys.meta, this.keys.journal], [this.born]),
    );
    if (code === ScriptCode.gone) return 0;
    if (code !== ScriptCode.ok) throw unexpected(code);
    return Number(values[0]);
  }
}

/**
 * One session's runtime scenarios in a hash, read beside the default session's. Changes check
 * the incarnation, as keystore changes do.
 */
class RedisScenarios implements ScenarioRepository {
  private readonly shared: string | undefined;

  constructor(
    private readonly context: RedisSessionContext,
    private readonly keys: SessionKeys,
    private readonly born: string,
    private readonly id: string,
  ) {
    this.shared = id === DEFAULT_SESSION ? undefined : sessionKeys(context.namespace, DEFAULT_SESSION).scenarios;
  }

  async list(): Promise<StoredScenario[]> {
    const { redis } = this.context;
    // Both requests are in flight at once: one round trip.
    const [own, shared] = await Promise.all([
      redis.hgetall(this.keys.scenarios),
      this.shared === undefined ? Promise.resolve<Record<string, string>>({}) : redis.hgetall(this.shared),
    ]);
    const byName = new Map<string, StoredScenario>();
    for (const [name, json] of Object.entries(shared)) byName.set(name, this.stored(name, DEFAULT_SESSION, json));
    for (const [name, json] of Object.entries(own)) byName.set(name, this.stored(name, this.id, json));
    return [...byName.values()];
  }

  async get(name: string): Promise<StoredScenario | undefined> {
    const { redis } = this.context;
    const [own, shared] = await Promise.all([
      redis.hget(this.keys.scenarios, name),
      this.shared === undefined ? null : redis.hget(this.shared, name),
    ]);
    if (own !== null) return this.stored(name, this.id, own);
    return shared === null ? undefined : this.stored(name, DEFAULT_SESSION, shared);
  }

  async put(name: string, file: ScenarioFile): Promise<boolean> {
    const { code, values } = scriptReply(
      await this.context.scripts.putScenario(
        [this.keys.meta, this.keys.scenarios],
        [this.born, name, JSON.stringify(file)],
      ),
    );
    if (code === ScriptCode.gone) return false;
    if (code !== ScriptCode.ok) throw unexpected(code);
    return values[0] === 1;
  }

  async remove(name: string): Promise<boolean> {
    const { code, values } = scriptReply(
      await this.context.scripts.removeScenario([this.keys.meta, this.keys.scenarios], [this.born, name]),
    );
    if (code === ScriptCode.gone) return false;
    if (code !== ScriptCode.ok) throw unexpected(code);
    return values[0] === 1;
  }

  private stored(name: string, owner: string, json: string): StoredScenario {
    return { name, owner, file: JSON.parse(json) as ScenarioFile };
  }
}

/**
 * One session of the Redis store, as one incarnation (`born`) of its id: a reset or an
 * eviction makes a new one. Its seeded stream is this replica's own: replicas draw apart.
 *
 * @example
 * const session = new RedisSession('w1', '7', context);
 * await session.keystores.list('MyProject');
 */
export class RedisSession implements Session {
  readonly keystores: KeystoreRepository;
  readonly journal: JournalRepository;
  readonly tokens: TokenRepository;
  readonly scenarios: ScenarioRepository;
  readonly random: LazyFaker;
  private readonly keys: SessionKeys;

  constructor(
    readonly id: string,
    private readonly born: string,
    private readonly context: RedisSessionContext,
  ) {
    this.keys = sessionKeys(context.namespace, id);
    this.keystores = new RedisKeystores(context, this.keys, born);
    this.journal = new RedisJournal(context, this.keys, born);
    this.tokens = context.tokens;
    this.scenarios = new RedisScenarios(context, this.keys, born, id);
    this.random = new LazyFaker(deriveSeed(context.limits.seed, 'session', id));
  }

  async activeScenario(): Promise<string | undefined> {
    return (await this.context.redis.hget(this.keys.meta, 'scenario')) ?? undefined;
  }

  async setActiveScenario(name: string | undefined): Promise<void> {
    const { code } = scriptReply(
      await this.context.scripts.setScenario(
        [this.keys.meta],
        [this.born, name === undefined ? 'clear' : 'set', name ?? ''],
      ),
    );
    if (code !== ScriptCode.ok && code !== ScriptCode.gone) throw unexpected(code);
  }

  async exportState(): Promise<SessionState> {
    const projectNames = [...this.context.projects.keys()];
    const reply = await this.context.scripts.exportState(this.stateKeys(projectNames), []);
    const [scenario, ...lists] = reply as [string | null, ...string[][]];
    const keystores: StoreSnapshot = {};
    for (const [index, projectName] of projectNames.entries()) {
      keystores[projectName] = (lists[index] ?? []).map((json) => JSON.parse(json) as Keystore);
    }
    return { activeScenario: scenario ?? undefined, keystores };
  }

  async importState(keystores: StoreSnapshot, activeScenario: string | undefined | null): Promise<void> {
    const projectNames = [...this.context.projects.keys()];
    const mode = activeScenario === null ? 'keep' : activeScenario === undefined ? 'clear' : 'set';
    const args: (string | number)[] = [this.born, mode, activeScenario ?? ''];
    for (const projectName of projectNames) {
      const list = keystores[projectName] ?? [];
      args.push(list.length);
      for (const keystore of list) args.push(keystore.name, JSON.stringify(keystore));
    }
    const { code } = scriptReply(await this.context.scripts.importState(this.stateKeys(projectNames), args));
    if (code !== ScriptCode.ok && code !== ScriptCode.gone) throw unexpected(code);
  }

  private stateKeys(projectNames: readonly string[]): string[] {
    const keys = [this.keys.meta];
    for (const projectName of projectNames) keys.push(this.keys.keystores(projectName), this.keys.order(projectName));
    return keys;
  }
}
