/** The admin token the person typed, kept for this tab only. */
const TOKEN_KEY = 'keystore-mock-admin-token';

/** A control call refused for want of the admin token: the page asks for it. */
export class TokenRequired extends Error {
  constructor() {
    super('This mock needs its admin token.');
    this.name = 'TokenRequired';
  }
}

/** A control call that answered an error: its wire form, for the page to show. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly body: {
      error?: string;
      error_description?: string;
      validation_errors?: { field: string; message: string }[];
    },
  ) {
    super(body.error_description ?? `The mock answered ${status}.`);
    this.name = 'ControlError';
  }
}

/** The headers every control call sends: the admin token, when the person gave one. */
export function authHeaders(): Record<string, string> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token === null ? {} : { Authorization: `Bearer ${token}` };
}

/** Keeps the admin token for this tab. */
export function saveToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

/**
 * Calls the control plane with the admin token; throws `TokenRequired` on a 401 and
 * `ControlError` on any other error answer.
 *
 * @example
 * const sessions = await control<SessionList>('/__mock/sessions');
 */
export async function control<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers: Record<string, string> = { ...authHeaders() };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { ...init, headers });
  if (res.status === 401) throw new TokenRequired();
  const body = (await res.json()) as T;
  if (!res.ok) throw new ControlError(res.status, body as ControlError['body']);
  return body;
}

/** The query naming a session, for every session-scoped call. */
export function inSession(session: string): string {
  return `session=${encodeURIComponent(session)}`;
}
