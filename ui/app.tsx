import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ControlError, TokenRequired, control, inSession, saveToken } from './api-client';
import { followJournal } from './event-stream';
import type { Dashboard, JournalEntry, Latency, ScenarioList, SessionSummary } from './types';

/** How many journal entries the page keeps; the journal itself holds more. */
const SHOWN_ENTRIES = 200;
/** The height of one journal row, in pixels: rows never change height, so nothing jumps. */
const ROW_HEIGHT = 40;

const bytes = (count: number) => (count < 1024 ? `${count} B` : `${(count / 1024).toFixed(1)} KiB`);
function latency(value: Latency): string {
  if (typeof value === 'number') return `${value} ms`;
  if (value.ms !== undefined) return `${value.ms} ms`;
  if (value.median !== undefined) return `about ${value.median} ms (lognormal)`;
  return `${value.min ?? 0}–${value.max ?? 0} ms`;
}
const FORMAT_LABELS: Record<string, string> = { JKS: 'JKS', JCEKS: 'JCEKS', PKCS12: 'PKCS#12', unknown: 'neither' };

/** The curl that creates a first keystore in this session, on this page's own origin. */
function firstKeystoreCurl(session: string, project: string, environment: string): string {
  const body = JSON.stringify({
    name: 'my-keystore',
    keyStoreEnvironmentList: [{ environmentName: environment, type: 'JKS', file: '/u3+7QAAAAIAAAAB' }],
  });
  const sessionHeader = session === 'default' ? '' : ` \\\n  -H 'X-Mock-Session: ${session}'`;
  return (
    `curl -s -X POST ${location.origin}/apiops/projects/${project}/keystores/ \\\n` +
    `  -H 'Authorization: Bearer demo-token' -H 'Content-Type: application/json'${sessionHeader} \\\n` +
    `  -d '${body}'`
  );
}

function describeError(error: unknown): string {
  if (error instanceof ControlError) {
    const details = (error.body.validation_errors ?? []).map(({ field, message }) => `${field} ${message}`);
    return [error.message, ...details].join('\n');
  }
  return error instanceof Error ? error.message : String(error);
}

function TokenForm(props: { onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  return (
    <section class="panel token" aria-labelledby="token-heading">
      <h2 id="token-heading">Admin token needed</h2>
      <p>This mock runs with an admin token. Type it to use the dashboard; it is kept for this tab only.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (token !== '') props.onToken(token);
        }}
      >
        <label for="admin-token">Admin token</label>
        <input
          id="admin-token"
          type="password"
          autocomplete="off"
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
        />
        <button type="submit">Use token</button>
      </form>
    </section>
  );
}

function EmptyState(props: { session: string; project: string; environment: string }) {
  const curl = firstKeystoreCurl(props.session, props.project, props.environment);
  const [copied, setCopied] = useState('');
  return (
    <div class="empty">
      <p>
        No keystores in session <strong>{props.session}</strong> yet. Create the first one through the API, for example
        with curl:
      </p>
      <pre id="first-curl" tabIndex={0} aria-label="curl command that creates a first keystore">
        <code>{curl}</code>
      </pre>
      <button
        type="button"
        onClick={() => {
          navigator.clipboard.writeText(curl).then(
            () => setCopied('Copied to the clipboard.'),
            () => setCopied('Could not copy: select the command and copy it by hand.'),
          );
        }}
      >
        Copy curl
      </button>
      <span role="status">{copied}</span>
    </div>
  );
}

function Keystores(props: { dashboard: Dashboard; onDetails: (project: string, name: string) => void }) {
  const { dashboard } = props;
  const total = dashboard.projects.reduce((sum, project) => sum + project.keystores.length, 0);
  const first = dashboard.projects[0];
  return (
    <section class="panel" aria-labelledby="keystores-heading">
      <h2 id="keystores-heading">Keystores ({total})</h2>
      {total === 0 && first !== undefined ? (
        <EmptyState
          session={dashboard.session}
          project={first.name}
          environment={first.environmentNames[0] ?? 'production'}
        />
      ) : null}
      {dashboard.projects
        .filter((project) => project.keystores.length > 0)
        .map((project) => (
          <div key={project.name} class="project">
            <table aria-label={`Keystores of ${project.name}`}>
              <caption>
                {project.name} <span class="muted">({project.projectId})</span>
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Description</th>
                  <th scope="col">Environments and files</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {project.keystores.map((keystore) => (
                  <tr key={keystore.name} data-keystore={keystore.name}>
                    <th scope="row">{keystore.name}</th>
                    <td>{keystore.description ?? <span class="muted">none</span>}</td>
                    <td>
                      <ul class="files">
                        {keystore.environments.map((file) => (
                          <li key={file.environmentName}>
                            <strong>{file.environmentName}</strong> {file.type}, {bytes(file.decodedBytes)},{' '}
                            <span class={file.format === file.type ? 'format' : 'format warn'} title={file.looksLike}>
                              looks like {FORMAT_LABELS[file.format]}
                            </span>
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>
                      <button type="button" onClick={() => props.onDetails(project.name, keystore.name)}>
                        Details<span class="visually-hidden"> of {keystore.name}</span>
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}

function Scenarios(props: { list: ScenarioList; dashboard: Dashboard; onActivate: (name: string) => void }) {
  const effects = new Map(props.dashboard.scenarios.map((effect) => [effect.name, effect]));
  return (
    <section class="panel" aria-labelledby="scenarios-heading">
      <h2 id="scenarios-heading">Scenarios</h2>
      <p>
        Active in this session: <strong id="active-scenario">{props.list.active}</strong>
      </p>
      <ul class="scenarios">
        {props.list.scenarios.map((scenario) => {
          const effect = effects.get(scenario.name);
          const active = scenario.name === props.list.active;
          return (
            <li key={scenario.name} class={active ? 'scenario active' : 'scenario'}>
              <h3 id={`scenario-${scenario.name}`}>{scenario.name}</h3>
              <p>{scenario.description || <span class="muted">No description.</span>}</p>
              <button
                type="button"
                aria-pressed={active}
                aria-describedby={`scenario-${scenario.name}`}
                onClick={() => props.onActivate(scenario.name)}
              >
                {active ? 'Active' : 'Activate'}
              </button>
              {effect === undefined ? null : (
                <table aria-label={`What ${scenario.name} does per environment`}>
                  <thead>
                    <tr>
                      <th scope="col">Environment</th>
                      <th scope="col">Deploy</th>
                      <th scope="col">Undeploy</th>
                      <th scope="col">Delay</th>
                    </tr>
                  </thead>
                  <tbody>
                    {effect.environments.map((line) => (
                      <tr key={line.environment}>
                        <th scope="row">{line.environment}</th>
                        <td class={line.deploy.success ? 'ok' : 'fail'}>
                          {line.deploy.success ? 'succeeds' : 'fails'}
                        </td>
                        <td class={line.undeploy.success ? 'ok' : 'fail'}>
                          {line.undeploy.success ? 'succeeds' : 'fails'}
                        </td>
                        <td>{latency(line.latencyMs)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {effect !== undefined && (effect.tokenExpired || effect.cannedResponses.length > 0) ? (
                <p class="muted">
                  {effect.tokenExpired ? 'Every valid token answers 401 token_expired. ' : ''}
                  {effect.cannedResponses.length > 0 ? `Canned answers for ${effect.cannedResponses.join(', ')}.` : ''}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Journal(props: { entries: JournalEntry[]; live: boolean }) {
  const [operation, setOperation] = useState('');
  const [status, setStatus] = useState('');
  const [scenario, setScenario] = useState('');
  const list = useRef<HTMLOListElement>(null);
  const shownTop = useRef<number | undefined>(undefined);
  const options = (pick: (entry: JournalEntry) => string) =>
    [...new Set(props.entries.map(pick))].filter((value) => value !== '').sort();
  const visible = props.entries.filter(
    (entry) =>
      (operation === '' || entry.operationId === operation) &&
      (status === '' || String(entry.status) === status) &&
      (scenario === '' || entry.scenario === scenario),
  );
  // New rows arrive on top: a reader scrolled down keeps looking at the same rows.
  const newest = visible[0]?.sequence;
  useEffect(() => {
    const element = list.current;
    if (element === null) return;
    const before = shownTop.current;
    if (before !== undefined && newest !== undefined && element.scrollTop > 0) {
      const added = visible.findIndex((entry) => entry.sequence === before);
      if (added > 0) element.scrollTop += added * ROW_HEIGHT;
    }
    shownTop.current = newest;
  }, [newest]);
  const select = (id: string, label: string, value: string, set: (value: string) => void, values: string[]) => (
    <span class="filter">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => set(event.currentTarget.value)}>
        <option value="">any</option>
        {values.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </span>
  );
  return (
    <section class="panel" aria-labelledby="journal-heading">
      <h2 id="journal-heading">
        Request journal <span class={props.live ? 'live on' : 'live'}>{props.live ? 'live' : 'reconnecting…'}</span>
      </h2>
      <div class="filters" role="group" aria-label="Filter the journal">
        {select(
          'filter-operation',
          'Operation',
          operation,
          setOperation,
          options((entry) => entry.operationId ?? ''),
        )}
        {select(
          'filter-status',
          'Status',
          status,
          setStatus,
          options((entry) => String(entry.status)),
        )}
        {select(
          'filter-scenario',
          'Scenario',
          scenario,
          setScenario,
          options((entry) => entry.scenario ?? ''),
        )}
      </div>
      <p class="muted" aria-live="polite">
        {visible.length} of {props.entries.length} requests shown, newest first.
      </p>
      <ol class="journal" ref={list} aria-label="Requests, newest first">
        {visible.map((entry) => (
          <li key={entry.sequence} data-sequence={entry.sequence}>
            <details>
              <summary>
                <span class="time">{entry.time.slice(11, 19)}</span>
                <span class="method">{entry.method}</span>
                <span class="path">{entry.path}</span>
                <span class={entry.status >= 400 ? 'status fail' : 'status ok'}>{entry.status}</span>
                <span class="op">{entry.operationId ?? '—'}</span>
                <span class="scn">{entry.scenario ?? '—'}</span>
              </summary>
              <div class="exchange">
                <h3>Request</h3>
                <pre>{JSON.stringify(entry.request ?? { method: entry.method, path: entry.path }, null, 2)}</pre>
                <h3>Response</h3>
                <pre>{JSON.stringify(entry.response ?? { status: entry.status }, null, 2)}</pre>
                {entry.notes === undefined ? null : (
                  <>
                    <h3>Notes</h3>
                    <ul>
                      {entry.notes.map((note) => (
                        <li key={note}>{note}</li>
                      ))}
                    </ul>
                  </>
                )}
              </div>
            </details>
          </li>
        ))}
      </ol>
    </section>
  );
}

function DetailDialog(props: { title: string; record: unknown; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} aria-labelledby="detail-heading" onClose={props.onClose}>
      <h2 id="detail-heading">{props.title}</h2>
      <pre class="record">{JSON.stringify(props.record, null, 2)}</pre>
      <button type="button" onClick={() => dialog.current?.close()}>
        Close
      </button>
    </dialog>
  );
}

/**
 * The dashboard: sessions, their keystores, scenarios and live journal, and the actions on
 * them, all through the control plane.
 *
 * @example
 * render(<App />, document.getElementById('app')!);
 */
export function App() {
  const [needsToken, setNeedsToken] = useState(false);
  const [tokenVersion, setTokenVersion] = useState(0);
  const [sessions, setSessions] = useState<SessionSummary[]>([]);
  const [session, setSession] = useState('default');
  const [dashboard, setDashboard] = useState<Dashboard | undefined>(undefined);
  const [scenarios, setScenarios] = useState<ScenarioList | undefined>(undefined);
  const [entries, setEntries] = useState<JournalEntry[]>([]);
  const [live, setLive] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | undefined>(undefined);
  const [detail, setDetail] = useState<{ title: string; record: unknown } | undefined>(undefined);

  const fail = useCallback((error: unknown) => {
    if (error instanceof TokenRequired) setNeedsToken(true);
    else setMessage({ kind: 'error', text: describeError(error) });
  }, []);

  const refresh = useCallback(async () => {
    try {
      const [list, view, known] = await Promise.all([
        control<{ sessions: SessionSummary[] }>('/__mock/sessions'),
        control<Dashboard>(`/__mock/dashboard?${inSession(session)}`),
        control<ScenarioList>(`/__mock/scenarios?${inSession(session)}`),
      ]);
      setSessions(list.sessions);
      setDashboard(view);
      setScenarios(known);
      setNeedsToken(false);
    } catch (error) {
      fail(error);
    }
  }, [session, fail]);

  // One refresh at a time; entries that arrive meanwhile ask for one more.
  const pending = useRef<{ running: boolean; again: boolean }>({ running: false, again: false });
  const refreshSoon = useCallback(() => {
    const state = pending.current;
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    void (async () => {
      do {
        state.again = false;
        await refresh();
      } while (state.again);
      state.running = false;
    })();
  }, [refresh]);

  useEffect(() => {
    void refresh();
  }, [refresh, tokenVersion]);

  useEffect(() => {
    setEntries([]);
    return followJournal(session, {
      entry: (entry) => {
        setEntries((shown) =>
          shown.some((old) => old.sequence === entry.sequence) ? shown : [entry, ...shown].slice(0, SHOWN_ENTRIES),
        );
        refreshSoon();
      },
      reset: () => {
        setEntries([]);
        refreshSoon();
      },
      connected: setLive,
      tokenRequired: () => setNeedsToken(true),
    });
  }, [session, tokenVersion, refreshSoon]);

  const act = async (done: string, call: () => Promise<unknown>) => {
    try {
      await call();
      setMessage({ kind: 'ok', text: done });
      await refresh();
    } catch (error) {
      fail(error);
    }
  };

  const exportState = async () => {
    try {
      const state = await control<unknown>(`/__mock/state?${inSession(session)}`);
      const url = URL.createObjectURL(new Blob([JSON.stringify(state, null, 2)], { type: 'application/json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `keystore-mock-${session}.json`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setMessage({ kind: 'ok', text: `Exported session ${session}.` });
    } catch (error) {
      fail(error);
    }
  };

  const importState = async (file: File) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(await file.text());
    } catch (error) {
      setMessage({ kind: 'error', text: `${file.name} is not JSON: ${describeError(error)}` });
      return;
    }
    await act(`Imported ${file.name} into session ${session}.`, () =>
      control(`/__mock/state?${inSession(session)}`, { method: 'PUT', body: JSON.stringify(parsed) }),
    );
  };

  const showDetails = async (project: string, name: string) => {
    try {
      const state = await control<{ projects: Record<string, { keystores: { name: string }[] }> }>(
        `/__mock/state?${inSession(session)}`,
      );
      const record = state.projects[project]?.keystores.find((keystore) => keystore.name === name);
      setDetail({ title: `${name} in ${project}`, record: record ?? 'This keystore is gone.' });
    } catch (error) {
      fail(error);
    }
  };

  const sessionIds = useMemo(() => {
    const ids = sessions.map(({ id }) => id);
    return ids.includes(session) ? ids : [session, ...ids];
  }, [sessions, session]);

  return (
    <>
      <header class="top">
        <h1>keystore-mock</h1>
        <div class="session-picker">
          <label for="session">Session</label>
          <select id="session" value={session} onChange={(event) => setSession(event.currentTarget.value)}>
            {sessionIds.map((id) => {
              const summary = sessions.find((entry) => entry.id === id);
              return (
                <option key={id} value={id}>
                  {id}
                  {summary === undefined ? '' : ` (${summary.activeScenario})`}
                </option>
              );
            })}
          </select>
        </div>
        <div class="actions" role="group" aria-label="Actions">
          <button
            type="button"
            onClick={() =>
              void act(`Session ${session} is back to the fixtures.`, () =>
                control(`/__mock/reset?${inSession(session)}`, { method: 'POST' }),
              )
            }
          >
            Reset session
          </button>
          <button
            type="button"
            onClick={() =>
              void act('Every session is back to the fixtures.', () => control('/__mock/reset', { method: 'POST' }))
            }
          >
            Reset all sessions
          </button>
          <button type="button" onClick={() => void exportState()}>
            Export JSON
          </button>
          <input
            id="import-file"
            class="visually-hidden"
            type="file"
            accept="application/json,.json"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              event.currentTarget.value = '';
              if (file !== undefined) void importState(file);
            }}
          />
          <label class="button" for="import-file">
            Import JSON
          </label>
        </div>
      </header>
      <div class="message-slot">
        {message === undefined ? null : (
          <p class={`message ${message.kind}`} role={message.kind === 'error' ? 'alert' : 'status'} id="message">
            {message.text}
          </p>
        )}
      </div>
      <main>
        {needsToken ? (
          <TokenForm
            onToken={(token) => {
              saveToken(token);
              setNeedsToken(false);
              setMessage(undefined);
              setTokenVersion((version) => version + 1);
            }}
          />
        ) : null}
        {dashboard === undefined || needsToken ? null : (
          <>
            <Keystores dashboard={dashboard} onDetails={(project, name) => void showDetails(project, name)} />
            <Journal entries={entries} live={live} />
            {scenarios === undefined ? null : (
              <Scenarios
                list={scenarios}
                dashboard={dashboard}
                onActivate={(name) =>
                  void act(`Scenario ${name} is active in session ${session}.`, () =>
                    control(`/__mock/scenario?${inSession(session)}`, {
                      method: 'PUT',
                      body: JSON.stringify({ name }),
                    }),
                  )
                }
              />
            )}
          </>
        )}
      </main>
      {detail === undefined ? null : (
        <DetailDialog title={detail.title} record={detail.record} onClose={() => setDetail(undefined)} />
      )}
    </>
  );
}
