import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A proxy in front of the mock that can hold one response: the request reaches the mock (so
 * its change happens), the answer never reaches the client. A test kills the client while it
 * waits, which is a crash right after that step on the server and before the client learnt of it.
 */
export class HoldingProxy {
  private server: Server | undefined;
  private rule: { method: string; path: RegExp; skip: number; held: () => void } | undefined;
  private readonly parked: ServerResponse[] = [];
  private refusal: { method: string; path: RegExp; status: number } | undefined;
  url = '';

  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.forward(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Resolves once the (skip+1)-th matching request has been answered by the mock and its answer held. */
  hold(method: string, path: RegExp, skip = 0): Promise<void> {
    return new Promise((resolve) => (this.rule = { method, path, skip, held: resolve }));
  }

  /** Answers the next matching request itself with `status`, without passing it on: a check that fails. */
  refuseOnce(method: string, path: RegExp, status: number): void {
    this.refusal = { method, path, status };
  }

  /** Forgets held answers (their client is gone) and holds nothing more. */
  release(): void {
    this.rule = undefined;
    for (const response of this.parked.splice(0)) response.destroy();
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async forward(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const refusal = this.refusal;
    if (refusal && refusal.method === request.method && refusal.path.test(request.url ?? '')) {
      this.refusal = undefined;
      response.writeHead(refusal.status, { 'content-type': 'application/problem+json' });
      response.end(JSON.stringify({ status: refusal.status, code: 'invalid_api_key', message: 'refused by the test proxy' }));
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) if (name !== 'host' && typeof value === 'string') headers.set(name, value);
    const upstream = await fetch(`${this.target}${request.url}`, {
      method: request.method,
      headers,
      ...(chunks.length > 0 && { body: Buffer.concat(chunks) }),
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    const rule = this.rule;
    if (rule && rule.method === request.method && rule.path.test(request.url ?? '')) {
      if (rule.skip-- === 0) {
        this.parked.push(response);
        rule.held();
        return;
      }
    }
    response.writeHead(upstream.status, Object.fromEntries([...upstream.headers].filter(([name]) => name !== 'content-encoding' && name !== 'transfer-encoding')));
    response.end(body);
  }
}
