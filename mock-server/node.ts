import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import { getRequestListener, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import type { KeyType } from '../src/detect/index.js';
import { KeyguardError } from '../src/errors.js';
import { parseJsonText } from '../src/json-text.js';
import type { PlanName, RateLimit } from './core/rate-limit.js';
import type { Seed } from './core/seed.js';
import { withDashboard } from './dashboard/assets.js';
import { guardSite } from './http/site-guard.js';
import { createKeyApi, type Connection, type KeyApi } from './key-api.js';
import { fileStorage } from './state-file.js';

export { createKeyApi, type KeyApi, type KeyApiOptions } from './key-api.js';

export interface ServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the mock has test-control routes and must not face a network. */
  host?: string;
  /**
   * Host names served besides the bound address and `localhost` (a name in /etc/hosts, a
   * tunnel's name): requests naming any other host get 421, which is what stops DNS rebinding.
   */
  allowHosts?: string[];
  /** The test-control routes (/__keyguard/*, behind `controlToken`). Default true. */
  control?: boolean;
  env?: KeyType;
  /** Fixture keys, as an object or the path of a JSON file. */
  seed?: Seed | string;
  /** Path of the state file: state survives restarts; every acknowledged change is on disk. */
  state?: string;
  plan?: PlanName;
  rateLimit?: RateLimit;
  /** Start the clock frozen at this instant (tests); it then moves only through /__keyguard/clock. */
  now?: Date | string | number;
  /** keyguard's extension: POST every event, signed, to these URLs (`--webhook`, repeatable). */
  webhooks?: string[];
  /** The signing secret; default a new one per start (`api.webhooks.secret`). */
  webhookSecret?: string;
}

export interface RunningKeyApi {
  /** `http://127.0.0.1:PORT`: the API is under `${url}/v1`. */
  url: string;
  port: number;
  api: KeyApi;
  /** The `admin:*` key made at start; undefined with a seed or a restored state. */
  bootstrapKey: string | undefined;
  /** What /__keyguard routes want in `X-Keyguard-Control-Token`; undefined with `control: false`. */
  controlToken: string | undefined;
  /** Set when the bound address is not loopback: what that exposes, for the CLI to print on stderr. */
  warning: string | undefined;
  close: () => Promise<void>;
}

/** Slow or endless clients are cut off rather than holding a connection forever. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
/** How often Node enforces those two: at its default (30 s) a slowloris client stayed up to 30 s longer. */
const TIMEOUT_CHECK_MS = 1_000;

/** Connections at once; Node closes any beyond this as soon as they are accepted. */
const MAX_CONNECTIONS = 512;
/** How long a closing connection keeps reading (and discarding) what its client still sends. */
const LINGER_MS = 2_000;

/** The mock key API over a real socket, for clients in any language. */
export async function startKeyApiServer(options: ServerOptions = {}): Promise<RunningKeyApi> {
  const storage = options.state === undefined ? undefined : fileStorage(options.state);
  const api = createKeyApi({
    env: options.env,
    plan: options.plan,
    rateLimit: options.rateLimit,
    now: options.now,
    storage,
    control: options.control,
    webhooks: options.webhooks,
    webhookSecret: options.webhookSecret,
    ...seedOption(options.seed),
  });
  const host = options.host ?? '127.0.0.1';
  // Where each request came from (key.new_source), from its socket: never from a header a client could write.
  const connections = new WeakMap<Request, Connection>();
  // The developer dashboard at `/`, on the API's own origin; only the server's own names are served.
  // Only the fetch function is kept, never `api`: the KeyApi object holds the bootstrap key, which
  // must not outlive the start-up output (test/mock-hardening/heap.test.ts).
  const apiFetch = api.fetch;
  const site = guardSite(withDashboard((request) => apiFetch(request, connections.get(request))), servedHosts(host, options.allowHosts ?? []));
  const listener = getRequestListener((request, env: HttpBindings | Http2Bindings) => {
    connections.set(request, new SocketConnection(env.incoming.socket));
    return site(request);
  });
  const server = createServer(
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: TIMEOUT_CHECK_MS },
    (request, response) => {
      if (hasBody(request)) {
        // Nothing reads the body of a GET or HEAD, and Node would read and discard an endless one
        // until the request timeout: close such a connection after the answer instead.
        if (request.method === 'GET' || request.method === 'HEAD') response.shouldKeepAlive = false;
        else closeIfAnsweredEarly(request, response);
      }
      return listener(request, response);
    },
  );
  server.maxConnections = MAX_CONNECTIONS;
  server.on('connection', (socket: Socket) => {
    socket.destroySoon = lingeringClose;
  });
  const port = await listen(server, options.port ?? 0, host);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    port,
    api,
    bootstrapKey: api.bootstrapKey,
    controlToken: api.controlToken,
    warning: isLoopback(host) ? undefined : exposureWarning(url, api.controlToken !== undefined),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/**
 * The names a request may give in its Host: the bound address, `localhost`, the loopback
 * addresses, and `allowHosts`; on a wildcard bind, every address of this machine's interfaces.
 */
function servedHosts(host: string, allowHosts: string[]): Set<string> {
  const names = [host, 'localhost', '127.0.0.1', '::1', ...allowHosts];
  if (WILDCARDS.has(host)) {
    for (const addresses of Object.values(networkInterfaces())) for (const { address } of addresses ?? []) names.push(address);
  }
  return new Set(names.map(hostName));
}

/** As `URL.hostname` writes a host: lower case, IPv6 in brackets, no port, no trailing dot. */
function hostName(name: string): string {
  const bare = name.trim().toLowerCase().replace(/\.$/, '');
  if (bare.startsWith('[')) return bare.slice(0, bare.indexOf(']') + 1);
  if (bare.includes(':') && bare.indexOf(':') !== bare.lastIndexOf(':')) return `[${bare}]`;
  return bare.replace(/:\d+$/, '');
}

/** A request's socket as the app sees it: where it came from, and a way to cut it (an injected drop). */
class SocketConnection implements Connection {
  constructor(private readonly socket: Socket) {}

  /** `::ffff:127.0.0.2` (an IPv4 client of a dual-stack socket) as `127.0.0.2`. */
  get source(): string | undefined {
    const address = this.socket.remoteAddress;
    return address?.startsWith('::ffff:') ? address.slice(7) : address;
  }

  drop(): void {
    this.socket.destroy();
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

function exposureWarning(url: string, control: boolean): string {
  const reachable = control ? 'the key API, the dashboard and the test-control routes (behind the control token)' : 'the key API and the dashboard';
  return `--host binds a non-loopback address: ${reachable} are reachable from the network at ${url}, for requests that name an allowed host; keep it on 127.0.0.1 unless another machine must reach it`;
}

/**
 * A request answered before its body has arrived (413, 401 without a key, a refused origin):
 * its connection cannot carry another request, so it closes after the answer, lingering, and
 * the rest of the body is discarded as it arrives.
 */
function closeIfAnsweredEarly(request: IncomingMessage, response: ServerResponse): void {
  const writeHead = response.writeHead;
  response.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    if (!request.complete) this.shouldKeepAlive = false;
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
  response.once('finish', () => {
    if (request.complete) return;
    // The adapter had begun reading the body into a web stream that nothing reads now: once its
    // buffer fills, the socket pauses, and a client that sends the whole body before it reads
    // the answer (Python's urllib: 8 of 8 uploads of 5 MB got EPIPE) can never finish sending.
    request.removeAllListeners('data');
    request.resume();
  });
}

/**
 * Replaces Node's `socket.destroySoon` (how it closes a connection after a `Connection: close`
 * answer): closing a socket while the client is still sending makes the kernel answer with a
 * reset, which can discard the answer before the client reads it (13 of 30 Node fetch uploads of
 * 5 MB saw EPIPE instead of their 413). So: send the answer and a FIN, keep reading and
 * discarding until the client closes its side, for at most LINGER_MS, then close.
 */
function lingeringClose(this: Socket): void {
  const socket = this;
  if (socket.destroyed) return;
  if (socket.readableEnded) {
    socket.end(() => socket.destroy());
    return;
  }
  if (lingering.has(socket)) return;
  lingering.add(socket);
  socket.end();
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once('end', () => socket.destroy());
  socket.once('close', () => clearTimeout(timer));
  socket.resume();
}

const lingering = new WeakSet<Socket>();

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

function seedOption(seed: Seed | string | undefined): { seed?: Seed; seedSource?: string } {
  if (typeof seed !== 'string') return { seed };
  let text: string;
  try {
    text = readFileSync(seed, 'utf8');
  } catch (error) {
    throw new KeyguardError(`--seed ${seed} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): check the path`);
  }
  return { seed: parseJsonText(text, `--seed ${seed}`, 'fix the file') as Seed, seedSource: `--seed ${seed}` };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new KeyguardError(`--port ${port} is already in use on ${host}: pick another port, or --port 0 for a free one`));
      else if (error.code === 'EACCES') reject(new KeyguardError(`--port ${port} needs privileges on ${host}: use a port above 1023, or --port 0`));
      else reject(new KeyguardError(`cannot listen on ${host}:${port} (${error.code ?? error.message})`));
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
