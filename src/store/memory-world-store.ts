import type { KeystoreStore, NameReservation } from '../keystores/keystore-store';
import {
  SessionRegistry,
  type Session as LiveSession,
  type SessionOptions,
  type SessionTemplate,
} from '../sessions/session-registry';
import type {
  HeldName,
  KeystoreRepository,
  OpenedSession,
  ScenarioRepository,
  Session,
  SessionSummary,
  StoredScenario,
  WorldStore,
} from './world-store';

function held(reservation: NameReservation): HeldName {
  return {
    projectName: reservation.projectName,
    name: reservation.name,
    release: () => Promise.resolve(reservation.release()),
  };
}

/** The memory store's reservation behind a held name; only names this store handed out are accepted. */
function reservationOf(name: HeldName | undefined, reservations: WeakMap<HeldName, NameReservation>) {
  return name === undefined ? undefined : reservations.get(name);
}

/**
 * The keystores of one in-memory session. Every call runs synchronously inside the returned
 * promise's executor, so each change is as atomic as the memory store itself.
 */
function keystoreRepository(store: KeystoreStore): KeystoreRepository {
  const reservations = new WeakMap<HeldName, NameReservation>();
  const hold = (reservation: NameReservation): HeldName => {
    const name = held(reservation);
    reservations.set(name, reservation);
    return name;
  };
  const run = <T>(step: () => T): Promise<T> => new Promise((resolve) => resolve(step()));
  return {
    list: (project) => run(() => store.list(project)),
    get: (project, name) => run(() => store.get(project, name)),
    assertCanCreate: (project, name) => run(() => store.assertCanCreate(project, name)),
    reserve: (project, name) => run(() => hold(store.reserve(project, name))),
    create: (project, input, name) => run(() => store.create(project, input, reservationOf(name, reservations))),
    assertCanReplace: (project, current, next) => run(() => store.assertCanReplace(project, current, next)),
    reserveRename: (project, current, next) =>
      run(() => {
        const reservation = store.reserveRename(project, current, next);
        return reservation === undefined ? undefined : hold(reservation);
      }),
    replace: (project, current, input, name) =>
      run(() => store.replace(project, current, input, reservationOf(name, reservations))),
    remove: (project, name) => run(() => store.remove(project, name)),
  };
}

/**
 * The runtime scenarios one in-memory session sees: its own, then the default session's
 * (`shared`, read anew each time since a reset replaces the default session). Stored copies
 * are the store's own, so a caller changing its object later changes nothing.
 */
function scenarioRepository(live: LiveSession, shared: () => LiveSession | undefined): ScenarioRepository {
  const stored = (owner: LiveSession, name: string): StoredScenario | undefined => {
    const file = owner.scenarios.get(name);
    return file === undefined ? undefined : { name, owner: owner.id, file };
  };
  const others = () => {
    const primary = shared();
    return primary === undefined || primary === live ? undefined : primary;
  };
  return {
    list: () => {
      const byName = new Map<string, StoredScenario>();
      const primary = others();
      for (const owner of primary === undefined ? [live] : [primary, live]) {
        for (const [name, file] of owner.scenarios) byName.set(name, { name, owner: owner.id, file });
      }
      return Promise.resolve([...byName.values()]);
    },
    get: (name) => {
      const primary = others();
      return Promise.resolve(stored(live, name) ?? (primary === undefined ? undefined : stored(primary, name)));
    },
    put: (name, file) =>
      new Promise((resolve) => {
        const replaced = live.scenarios.has(name);
        live.scenarios.set(name, structuredClone(file));
        resolve(replaced);
      }),
    remove: (name) => Promise.resolve(live.scenarios.delete(name)),
  };
}

/**
 * Every session in this process's memory: the default store, with nothing to install. It
 * adapts the synchronous session registry and keystore store to the store interface.
 *
 * @example
 * const store = new MemoryWorldStore(template, config, onEvict, clock);
 * const { session } = await store.open(undefined);
 */
export class MemoryWorldStore implements WorldStore {
  readonly kind = 'memory' as const;
  private readonly registry: SessionRegistry;
  private readonly adapted = new WeakMap<LiveSession, Session>();

  constructor(
    template: SessionTemplate,
    options: SessionOptions,
    onEvict: (id: string) => void = () => undefined,
    clock: () => number = Date.now,
  ) {
    this.registry = new SessionRegistry(template, options, onEvict, clock);
  }

  open(id: string | undefined): Promise<OpenedSession> {
    return new Promise((resolve) => {
      const opened = this.registry.open(id);
      resolve({ session: this.adapt(opened.session), evicted: opened.evicted });
    });
  }

  peek(id: string | undefined): Promise<Session | undefined> {
    return new Promise((resolve) => {
      const live = this.registry.find(id);
      resolve(live === undefined ? undefined : this.adapt(live));
    });
  }

  reset(id?: string): Promise<void> {
    return new Promise((resolve) => resolve(this.registry.reset(id)));
  }

  stats() {
    return Promise.resolve(this.registry.stats());
  }

  list(): Promise<SessionSummary[]> {
    return Promise.resolve(
      this.registry
        .list()
        .map(({ session, lastUsed }) => ({ id: session.id, activeScenario: session.activeScenario, lastUsed })),
    );
  }

  health() {
    return Promise.resolve({ kind: this.kind, ok: true });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private adapt(live: LiveSession): Session {
    let session = this.adapted.get(live);
    if (session !== undefined) return session;
    session = {
      id: live.id,
      keystores: keystoreRepository(live.store),
      journal: {
        record: (entry) => Promise.resolve(live.journal.record(entry)),
        entries: (filter) => Promise.resolve(live.journal.entries(filter)),
        clear: () => Promise.resolve(live.journal.clear()),
      },
      tokens: {
        lookup: (token) => Promise.resolve(live.tokens.lookup(token)),
        issue: (clientId, clientSecret, now) =>
          new Promise((resolve) => resolve(live.tokens.issue(clientId, clientSecret, now))),
      },
      scenarios: scenarioRepository(live, () => this.registry.find(undefined)),
      random: live.random,
      activeScenario: () => Promise.resolve(live.activeScenario),
      setActiveScenario: (name) => {
        live.activeScenario = name;
        return Promise.resolve();
      },
      exportState: () => Promise.resolve({ activeScenario: live.activeScenario, keystores: live.store.snapshot() }),
      importState: (keystores, activeScenario) => {
        live.store.restore(keystores);
        if (activeScenario !== null) live.activeScenario = activeScenario;
        return Promise.resolve();
      },
    };
    this.adapted.set(live, session);
    return session;
  }
}
