import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { startServe, type ServeProcess } from '../../mock-server/helpers/serve-process.js';
import { START } from '../../mock-server/helpers/world.js';

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface BoundedClient {
  /** Sends one request; the promise rejects only when the connection fails (no answer at all). */
  send: (method: string, path: string, options?: { key?: string; body?: unknown; headers?: Record<string, string> }) => Promise<Reply>;
  close: () => void;
}

/**
 * An HTTP client over at most `sockets` keep-alive connections: a thousand requests started
 * at once queue in the agent instead of opening a thousand sockets, as a real load generator would.
 */
export function boundedClient(baseUrl: string, sockets = 50): BoundedClient {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  const send: BoundedClient['send'] = (method, path, options = {}) =>
    new Promise((resolve, reject) => {
      const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
      const headers: Record<string, string> = { ...options.headers };
      if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
      if (payload !== undefined) headers['content-type'] = 'application/json';
      const outgoing = httpRequest(new URL(path, baseUrl), { method, agent, headers }, (incoming) => {
        let body = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => (body += chunk));
        incoming.on('error', reject);
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body, json: parseJson(body) }));
      });
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  return { send, close: () => agent.destroy() };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** One `keyguard serve` shared by a test file, what it printed on stderr, its port and its admin key. */
export interface RoomyServe {
  server: ServeProcess;
  port: number;
  admin: string;
  stderr: string;
}

/**
 * Starts `keyguard serve` before a file's tests and stops it after, with limits so high that
 * only the misbehaviour under test can refuse a request. Call once at a test file's top level.
 */
export function roomyServe(): RoomyServe {
  const mock = { stderr: '' } as RoomyServe;
  beforeAll(async () => {
    mock.server = await startServe(['--env', 'test', '--now', START, '--plan', 'enterprise', '--per-hour', '1000000', '--per-minute', '1000000']);
    mock.server.child.stderr.on('data', (text: string) => (mock.stderr += text));
    mock.port = portOf(mock.server);
    mock.admin = mock.server.adminKey as string;
  });
  afterAll(async () => {
    await mock.server?.stop();
  });
  return mock;
}

/** The port of a `http://127.0.0.1:PORT` base URL. */
export function portOf(server: { url: string }): number {
  return Number(new URL(server.url).port);
}

/** What a raw socket saw: the bytes the server sent and whether (and when) it closed the connection. */
export interface RawExchange {
  response: string;
  /** The status line, e.g. `HTTP/1.1 400 Bad Request`, or '' when nothing came back. */
  statusLine: string;
  closedByServer: boolean;
  /** Milliseconds from connecting until the server closed the connection (when it did). */
  closedAfterMs: number | undefined;
}

export interface RawOptions {
  /** Give up (and close from this side) after this long. */
  waitMs: number;
  /** Called once connected, to keep writing (a slow or endless client); returns a stop function. */
  drip?: (socket: Socket) => () => void;
}

/** Writes raw bytes to the server, bypassing every HTTP client's own validation. */
export function rawExchange(port: number, bytes: string | Buffer, options: RawOptions): Promise<RawExchange> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let stopDrip = (): void => {};
    let gaveUp = false;
    socket.on('data', (data: Buffer) => chunks.push(data));
    // A reset from the server is one way of closing: what matters is that it closed.
    socket.on('error', () => {});
    socket.on('end', () => socket.destroy());
    const timer = setTimeout(() => {
      gaveUp = true;
      socket.destroy();
    }, options.waitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      stopDrip();
      const response = Buffer.concat(chunks).toString('latin1');
      resolve({
        response,
        statusLine: response.split('\r\n')[0] ?? '',
        closedByServer: !gaveUp,
        closedAfterMs: gaveUp ? undefined : Date.now() - started,
      });
    });
    socket.once('connect', () => {
      socket.write(bytes);
      if (options.drip) stopDrip = options.drip(socket);
    });
  });
}

/** Writes `chunk` every `everyMs` until stopped or the socket closes. */
export function dripEvery(chunk: string | Buffer, everyMs: number): (socket: Socket) => () => void {
  return (socket) => {
    const timer = setInterval(() => {
      if (!socket.destroyed && socket.writable) socket.write(chunk);
    }, everyMs);
    return () => clearInterval(timer);
  };
}

/** Writes as fast as the socket drains: an endless body. */
export function flood(chunk: string | Buffer): (socket: Socket) => () => void {
  return (socket) => {
    let stopped = false;
    const pump = (): void => {
      while (!stopped && !socket.destroyed && socket.writable) {
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    pump();
    return () => {
      stopped = true;
    };
  };
}

/** One chunk of a `Transfer-Encoding: chunked` body. */
export function chunk(data: string): string {
  return `${Buffer.byteLength(data).toString(16)}\r\n${data}\r\n`;
}
