import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { createApp, type AppOptions, type MockApp } from '../app';
import type { Config } from '../config';
import type { SessionTemplate } from '../sessions/session-registry';
import { displayPath } from '../fixtures/read-data-file';
import { openWorldStore } from '../store/open-world-store';
import type { WorldStore } from '../store/world-store';
import { reloadSummary, type ReloadSummary } from './reload-summary';
import { templateChanges } from './template-changes';
import type { FileChange } from './watch-fixtures';

/** A reload that took effect: the files behind it, what changed, and whether the store was reset. */
export interface ReloadEvent extends ReloadSummary {
  /** The changed files, each once, in the order they were first seen. */
  changed: FileChange[];
  /** Whether every session was put back to the new fixtures (all replicas' sessions, with Redis). */
  storeReset: boolean;
  /** Why the store was reset; empty when it was kept. */
  storeResetReasons: string[];
}

/** A reload that failed: the last good configuration keeps serving. */
export interface ReloadErrorEvent {
  changed: FileChange[];
  /** What is wrong, naming the file (and the line, for YAML syntax). */
  error: Error;
}

/** The events of a mock started with `watch: true`, by name. */
export interface ReloadEvents {
  reload: ReloadEvent;
  reloadError: ReloadErrorEvent;
}

/** One build of the app, and the requests it is still answering. */
interface Generation {
  mock: MockApp;
  template: SessionTemplate;
  inFlight: number;
  /** Set once a newer generation serves: the store to close when the last request is done. */
  retiredStore?: WorldStore;
}

/** The template a build's store was opened with, caught on its way to the store. */
interface Built {
  mock: MockApp;
  template: SessionTemplate;
  /** The new store, when the template differs from the previous one's. */
  newStore?: WorldStore;
  storeResetReasons: string[];
}

/**
 * The app behind a server that reloads: each request runs to its end on the build it started
 * with, and a reload swaps in a new build in one assignment, so new requests see it at once.
 * The store of sessions is handed to the new build unless the sessions it makes would differ
 * (projects, their fixture keystores, tokens or users changed); then a new store is opened and
 * every session reset. A failed reload changes nothing and is reported as `reloadError`.
 *
 * @example
 * const live = await ReloadableApp.start(config, {});
 * http.createServer(live.handle);
 * live.on('reload', ({ changed, storeReset }) => console.log(changed, storeReset));
 */
export class ReloadableApp {
  private readonly events = new EventEmitter();
  private generation: Generation;
  /** Replaced builds still answering requests. */
  private readonly retired = new Set<Generation>();
  /** Changes waiting for the reload in progress to end. */
  private pending: FileChange[] = [];
  private running: Promise<void> | undefined;
  private closed = false;

  private constructor(
    private readonly config: Config,
    private readonly options: AppOptions,
    first: Built,
  ) {
    this.generation = { mock: first.mock, template: first.template, inFlight: 0 };
  }

  /** Builds the first app; rejects as `createApp` does. */
  static async start(config: Config, options: AppOptions): Promise<ReloadableApp> {
    let template: SessionTemplate | undefined;
    const openStore = options.openStore ?? openWorldStore;
    const mock = await createApp(config, {
      ...options,
      openStore: (storeConfig, context) => {
        template = context.template;
        return openStore(storeConfig, context);
      },
    });
    // createApp cannot resolve without having opened its store.
    return new ReloadableApp(
      config,
      { ...options, logger: mock.logger },
      { mock, template: template!, storeResetReasons: [] },
    );
  }

  on<E extends keyof ReloadEvents>(event: E, listener: (payload: ReloadEvents[E]) => void): void {
    this.events.on(event, listener);
  }

  off<E extends keyof ReloadEvents>(event: E, listener: (payload: ReloadEvents[E]) => void): void {
    this.events.off(event, listener);
  }

  /** The build new requests go to. */
  get current(): MockApp {
    return this.generation.mock;
  }

  get logger(): Logger {
    return this.generation.mock.logger;
  }

  /** The request listener: the current build answers, and the request is counted until its response closes. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const generation = this.generation;
    generation.inFlight += 1;
    res.once('close', () => {
      generation.inFlight -= 1;
      this.release(generation);
    });
    generation.mock.app(req, res);
  };

  /**
   * Rebuilds from the files after a burst of changes. Reloads never overlap: changes that arrive
   * during one are gathered into the next.
   */
  reload(changes: FileChange[]): Promise<void> {
    this.pending.push(...changes);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** Every build still answering requests asks its clients to close their connections. */
  beginShutdown(): void {
    this.closed = true;
    for (const generation of [this.generation, ...this.retired]) generation.mock.beginShutdown();
  }

  /** Waits for a reload in progress, then lets go of the current build's store. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending = [];
    await this.running;
    await this.generation.mock.close();
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0 && !this.closed) {
      const changed = this.pending.splice(0);
      await this.rebuild(changed);
    }
  }

  private async rebuild(changed: FileChange[]): Promise<void> {
    const previous = this.generation;
    let built: Built;
    try {
      built = await this.build(previous);
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.logger.error(
        { files: changed, err: { message: failure.message } },
        `reload failed, so the last good configuration keeps serving: ${failure.message}`,
      );
      this.emit('reloadError', { changed, error: failure });
      return;
    }
    if (this.closed) {
      await this.discard(built);
      return;
    }

    const { mock, template, newStore, storeResetReasons } = built;
    const next: Generation = { mock, template, inFlight: 0 };
    this.generation = next;
    previous.retiredStore = newStore === undefined ? undefined : previous.mock.store;
    this.retired.add(previous);
    // The old build's long-lived answers (journal streams, hangs) end now, so clients reconnect
    // to the new build; its other in-flight requests finish and ask their clients to reconnect.
    previous.mock.beginShutdown();
    this.release(previous);
    void mock.warmUp();

    const specFile = displayPath(mock.config.specPath);
    const summary = reloadSummary(
      { scenarios: previous.mock.scenarios.all(), world: previous.template.world },
      { scenarios: mock.scenarios.all(), world: template.world },
      changed.some(({ file }) => file === specFile),
    );
    const storeReset = newStore !== undefined;
    if (storeReset) {
      this.logger.warn(
        { reasons: storeResetReasons, store: mock.config.store },
        `store reset: every session starts again from the new fixtures, because ${storeResetReasons.join('; ')}`,
      );
    }
    if (summary.scenarios.removed.length > 0) {
      const startup = mock.scenarios.startupScenario().name;
      this.logger.warn(
        { removed: summary.scenarios.removed, startup },
        `scenarios removed: a session that had one active now runs the start-up scenario "${startup}"`,
      );
    }
    this.logger.info(
      {
        files: changed,
        scenarios: summary.scenarios,
        projects: summary.projectsChanged.length === 0 ? 'unchanged' : { changed: summary.projectsChanged },
        spec: summary.specChanged ? 'changed' : 'unchanged',
        store: storeReset ? 'reset' : 'kept',
      },
      'fixtures reloaded',
    );
    this.emit('reload', { changed, ...summary, storeReset, storeResetReasons });
  }

  /**
   * Builds from the files with the previous build's store, unless the sessions the new template
   * makes would differ: then with a new store, reset at once (with Redis, that resets every
   * replica's sessions; each replica that watches the same files does the same, harmlessly).
   */
  private async build(previous: Generation): Promise<Built> {
    const openStore = this.options.openStore ?? openWorldStore;
    let template: SessionTemplate | undefined;
    let newStore: WorldStore | undefined;
    let storeResetReasons: string[] = [];
    try {
      const mock = await createApp(this.config, {
        ...this.options,
        openStore: async (storeConfig, context) => {
          template = context.template;
          storeResetReasons = templateChanges(previous.template, context.template);
          if (storeResetReasons.length === 0) return previous.mock.store;
          newStore = await openStore(storeConfig, context);
          return newStore;
        },
      });
      // With Redis, sessions made from the old fixtures live on in the server: start them all again.
      await newStore?.reset();
      return { mock, template: template!, newStore, storeResetReasons };
    } catch (error) {
      await this.discard({ newStore });
      throw error;
    }
  }

  /** A listener that throws is logged: it must not stop the reloads to come. */
  private emit<E extends keyof ReloadEvents>(event: E, payload: ReloadEvents[E]): void {
    try {
      this.events.emit(event, payload);
    } catch (error) {
      this.logger.error({ err: error, event }, `a ${event} listener threw`);
    }
  }

  /** Lets go of the store of a build that will never serve. */
  private async discard({ newStore }: Pick<Built, 'newStore'>): Promise<void> {
    await newStore?.close().catch(() => undefined);
  }

  /** Forgets a replaced build once its last request is done, closing its store if it had its own. */
  private release(generation: Generation): void {
    if (generation === this.generation || generation.inFlight > 0) return;
    this.retired.delete(generation);
    const store = generation.retiredStore;
    generation.retiredStore = undefined;
    store?.close().catch((error: unknown) => this.logger.warn({ err: error }, 'could not close a replaced store'));
  }
}
