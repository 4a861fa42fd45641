import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  headers: Record<string, string>;
  body: string;
}

/**
 * A real webhook receiver on 127.0.0.1: records every POST, and answers 500 to the next
 * `failNext` of them that `failWhen` accepts (or never answers while `hang` is set).
 */
export class Receiver {
  readonly received: Delivery[] = [];
  failNext = 0;
  failWhen: (delivery: Delivery) => boolean = () => true;
  hang = false;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        if (this.hang) return;
        const delivery = { headers: request.headers as Record<string, string>, body: Buffer.concat(chunks).toString('utf8') };
        this.received.push(delivery);
        if (this.failNext > 0 && this.failWhen(delivery)) {
          this.failNext--;
          response.writeHead(500).end('down');
        } else response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
    return this;
  }

  clear(): void {
    this.received.length = 0;
    this.failNext = 0;
    this.failWhen = () => true;
    this.hang = false;
  }

  /** The deliveries of events about one key (others, from earlier tests, may still be arriving). */
  about(keyId: string): Delivery[] {
    return this.received.filter((delivery) => (JSON.parse(delivery.body) as { key_id: string | null }).key_id === keyId);
  }

  /** Waits (real time, bounded) until `count` deliveries about the key have arrived. */
  async waitFor(keyId: string, count: number, timeoutMs = 5_000): Promise<Delivery[]> {
    const until = Date.now() + timeoutMs;
    while (this.about(keyId).length < count) {
      if (Date.now() > until) throw new Error(`only ${this.about(keyId).length} of ${count} webhook deliveries arrived`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.about(keyId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}
