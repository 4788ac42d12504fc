import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { PACKAGE_ROOT } from '../config';
import { errors } from '../errors';
import { errorReply, sendReply } from '../http/reply';

/** Where the dashboard is served and how. */
export interface UiAssetsOptions {
  /** The folder the build wrote the page to (`dist/ui`). */
  folder: string;
  /** The path the dashboard is mounted under, without the trailing slash (`/__mock/ui`). */
  mount: string;
  closing: () => boolean;
}

/** One file as read from disk, with the precompressed copies the build wrote beside it. */
interface Asset {
  type: string;
  identity: Buffer;
  br: Buffer | undefined;
  gzip: Buffer | undefined;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

/** A file name the build writes: no folder, no dot first, so nothing outside the folder is reachable. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
/** esbuild's content hash in a name (`main-3QZK2F7A.js`): such a file never changes, so it may be cached for ever. */
const HASHED = /-[A-Z0-9]{8}\.[a-z]+$/;

/** The page runs only its own files and talks only to this mock; nothing inline, nothing from elsewhere. */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** The encoding to send: brotli, then gzip, when the client accepts it and the build wrote it. */
function chooseEncoding(accepted: string, asset: Asset): { encoding: 'br' | 'gzip' | undefined; body: Buffer } {
  const accepts = (name: string) =>
    accepted.split(',').some((part) => {
      const [token = '', ...parameters] = part.trim().split(';');
      const refused = parameters.some((parameter) => /^\s*q=0(\.0*)?\s*$/.test(parameter));
      return token.trim().toLowerCase() === name && !refused;
    });
  if (asset.br !== undefined && accepts('br')) return { encoding: 'br', body: asset.br };
  if (asset.gzip !== undefined && accepts('gzip')) return { encoding: 'gzip', body: asset.gzip };
  return { encoding: undefined, body: asset.identity };
}

/**
 * Serves the dashboard's built files: `index.html` never cached, hashed files cached for
 * ever, each as the brotli or gzip copy the build wrote when the client accepts one, all under
 * a strict Content-Security-Policy. Files are read on first request, not at start, so the
 * mock starts no slower; they hold no data, so they need no admin token (the calls they make do).
 *
 * @example
 * app.use('/__mock/ui', uiAssets({ folder: path.join(PACKAGE_ROOT, 'dist', 'ui'), mount: '/__mock/ui', closing }));
 */
export function uiAssets(options: UiAssetsOptions): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { folder, mount, closing } = options;
  const cache = new Map<string, Promise<Asset | undefined>>();
  const load = (name: string): Promise<Asset | undefined> => {
    let pending = cache.get(name);
    if (pending === undefined) {
      const file = path.join(folder, name);
      pending = readOptional(file).then(async (identity) => {
        if (identity === undefined) return undefined;
        const [br, gzip] = await Promise.all([readOptional(`${file}.br`), readOptional(`${file}.gz`)]);
        return { type: TYPES[path.extname(name)] ?? 'application/octet-stream', identity, br, gzip };
      });
      // A failed or missing read is tried again next time: the build may write the files later.
      void pending.then(
        (asset) => asset ?? cache.delete(name),
        () => cache.delete(name),
      );
      cache.set(name, pending);
    }
    return pending;
  };

  return async (req, res) => {
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '/';
    const queryAt = url.indexOf('?');
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    const headOnly = req.method === 'HEAD';
    try {
      if (req.method !== 'GET' && !headOnly) throw errors.methodNotAllowed(req.method ?? '', pathname, ['GET', 'HEAD']);
      if (pathname === mount) {
        res.writeHead(301, {
          Location: `${mount}/${queryAt === -1 ? '' : url.slice(queryAt)}`,
          'Content-Length': '0',
          'X-Content-Type-Options': 'nosniff',
        });
        res.end();
        return;
      }
      const name = pathname.slice(mount.length + 1) || 'index.html';
      const asset =
        ASSET_NAME.test(name) && !name.endsWith('.br') && !name.endsWith('.gz') ? await load(name) : undefined;
      if (asset === undefined) {
        throw name === 'index.html' ? errors.dashboardNotBuilt() : errors.routeNotFound(req.method ?? 'GET', pathname);
      }
      const { encoding, body } = chooseEncoding(String(req.headers['accept-encoding'] ?? ''), asset);
      res.writeHead(200, {
        'Content-Type': asset.type,
        'Content-Length': String(body.length),
        'Cache-Control': HASHED.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache',
        'Content-Security-Policy': DASHBOARD_CSP,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        Vary: 'Accept-Encoding',
        ...(encoding === undefined ? {} : { 'Content-Encoding': encoding }),
        ...(closing() ? { Connection: 'close' } : {}),
      });
      res.end(headOnly ? undefined : body);
    } catch (error) {
      sendReply(res, errorReply(error), headOnly, closing());
    }
  };
}

/** Where the build writes the page: `dist/ui` of the package, whether running from `src/` or `dist/`. */
export const DASHBOARD_FOLDER = path.join(PACKAGE_ROOT, 'dist', 'ui');
