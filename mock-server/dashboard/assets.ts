import { readdir, readFile } from 'node:fs/promises';
import { extname } from 'node:path';

/**
 * The dashboard's files, read once from the folder the build fills (`dist/mock-server/dashboard/public`:
 * the static files and the compiled scripts) and served from memory at `/` and `/dashboard/*`.
 */
export type DashboardAssets = ReadonlyMap<string, { body: Uint8Array<ArrayBuffer>; type: string }>;

const PUBLIC_DIR = new URL('./public/', import.meta.url);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

// The page may load only its own files and talk only to this origin: no CDN, no inline script.
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

export async function loadDashboardAssets(dir: URL = PUBLIC_DIR): Promise<DashboardAssets> {
  const assets = new Map<string, { body: Uint8Array<ArrayBuffer>; type: string }>();
  for (const name of await readdir(dir)) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) assets.set(name, { body: await readFile(new URL(name, dir)), type });
  }
  if (!assets.has('index.html') || !assets.has('main.js')) {
    throw new Error(`the dashboard is not built in ${dir.pathname}: run npm run build`);
  }
  return assets;
}

/**
 * Wraps a fetch-style app: `GET /` is the dashboard page, `GET /dashboard/<file>` its assets;
 * everything else goes to `app` unchanged. Same origin as the API, so the page needs no CORS.
 */
export function withDashboard(
  app: (request: Request) => Response | Promise<Response>,
  assets: DashboardAssets,
): (request: Request) => Response | Promise<Response> {
  return (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return app(request);
    const { pathname } = new URL(request.url);
    const name = pathname === '/' ? 'index.html' : pathname.startsWith('/dashboard/') ? pathname.slice(11) : undefined;
    const asset = name === undefined ? undefined : assets.get(name);
    if (!asset) return app(request);
    const body = request.method === 'HEAD' ? null : asset.body;
    return new Response(body, {
      headers: { 'Content-Type': asset.type, 'Content-Length': String(asset.body.byteLength), ...SECURITY_HEADERS },
    });
  };
}
