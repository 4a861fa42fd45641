import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pathOf } from '../http/url-parts.js';

type Asset = { body: Uint8Array<ArrayBuffer>; type: string };
type FetchApp = (request: Request) => Response | Promise<Response>;

/**
 * Where the build puts the page, its stylesheet and its compiled scripts. Found from the
 * package root, so the server finds it whether it runs from dist/ or from source under vitest.
 */
export const DASHBOARD_DIR = new URL(
  'dist/mock-server/dashboard/public/',
  pathToFileURL(createRequire(import.meta.url).resolve('keyguard/package.json')),
);

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

async function loadAssets(dir: URL): Promise<Map<string, Asset>> {
  const assets = new Map<string, Asset>();
  for (const name of await readdir(dir)) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) assets.set(name, { body: await readFile(new URL(name, dir)), type });
  }
  if (!assets.has('index.html') || !assets.has('main.js')) throw new Error('incomplete build');
  return assets;
}

/**
 * Wraps a fetch-style app: `GET /` is the dashboard page and `GET /dashboard/<file>` its files;
 * everything else goes to `app` unchanged. Same origin as the API, so the page needs no CORS.
 * The files are read on the first dashboard request, so servers that never show it pay nothing.
 */
export function withDashboard(app: FetchApp, dir: URL = DASHBOARD_DIR): FetchApp {
  let loading: Promise<Map<string, Asset>> | undefined;
  const serve = async (request: Request, name: string): Promise<Response> => {
    let assets: Map<string, Asset>;
    try {
      assets = await (loading ??= loadAssets(dir));
    } catch {
      loading = undefined; // a later build may fix it
      return new Response(`The dashboard is not built in ${dir.pathname}: run npm run build.\n`, {
        status: 503,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
    const asset = assets.get(name);
    if (!asset) return app(request);
    return new Response(request.method === 'HEAD' ? null : asset.body, {
      headers: { 'Content-Type': asset.type, 'Content-Length': String(asset.body.byteLength), ...SECURITY_HEADERS },
    });
  };
  // Not async: the API requests that pass through (nearly all) cost no extra promise.
  return (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return app(request);
    const pathname = pathOf(request.url);
    const name = pathname === '/' ? 'index.html' : pathname.startsWith('/dashboard/') ? pathname.slice('/dashboard/'.length) : undefined;
    return name === undefined ? app(request) : serve(request, name);
  };
}
