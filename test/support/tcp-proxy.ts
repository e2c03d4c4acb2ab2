/**
 * A TCP proxy for fault tests, on 127.0.0.1 (port 0), between Klik and a server (PostgreSQL, a fake
 * platform). Only what goes through it is affected, so other tests keep their connections.
 *
 * - `hold()`: connections stay open but no byte moves either way (a database that hangs); held
 *   bytes flow on `restore()`;
 * - `cut()`: every open connection is destroyed and new ones are closed as soon as they arrive
 *   (a server that is gone, or a connection dropped before any answer);
 * - `breakResponses(bytes)`: requests reach the server, but the first answer on a connection is
 *   cut off after `bytes` bytes and the connection destroyed (a connection dropped mid-response);
 * - `restore()`: forwarding again;
 * - `latencyMs`: every answer arrives this much later (a slow platform).
 * `waitFor(test)` resolves once a condition on the counters holds (checked on every event).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'open' | 'hold' | 'cut' | 'break';

interface Pair {
  client: Socket;
  upstream: Socket;
}

export class TcpProxy {
  mode: ProxyMode = 'open';
  /** Connections accepted and forwarded. */
  accepted = 0;
  /** Connections refused (closed at once) while cut. */
  refused = 0;
  /** Connections destroyed by `cut()`. */
  destroyed = 0;
  /** Answers cut off mid-way by `breakResponses`. */
  broken = 0;
  private breakAfter = 0;
  /** Every answer is held this long before it is passed on (a slow server); order is kept. */
  latencyMs = 0;
  private readonly pairs = new Set<Pair>();
  private readonly waiters: Array<{ test: () => boolean; resolve: () => void }> = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    let proxy: TcpProxy | undefined;
    const server = createServer((socket) => proxy?.accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    proxy = new TcpProxy(server, port, target);
    return proxy;
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private accept(client: Socket): void {
    client.on('error', () => {});
    if (this.mode === 'cut') {
      this.refused += 1;
      client.destroy();
      this.settle();
      return;
    }
    this.accepted += 1;
    const upstream = connect(this.target.port, this.target.host);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const pair: Pair = { client, upstream };
    this.pairs.add(pair);
    const forget = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', forget);
    upstream.on('close', forget);
    client.on('data', (chunk: Buffer) => {
      if (!upstream.destroyed) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (this.mode === 'break') {
        const part = chunk.subarray(0, this.breakAfter);
        this.broken += 1;
        client.write(part, () => {
          client.destroy();
          upstream.destroy();
        });
        this.settle();
        return;
      }
      if (this.latencyMs > 0) {
        setTimeout(() => {
          if (!client.destroyed) client.write(chunk);
        }, this.latencyMs);
      } else if (!client.destroyed) client.write(chunk);
    });
    if (this.mode === 'hold') {
      client.pause();
      upstream.pause();
    }
    this.settle();
  }

  /** No byte moves until `restore()`; connections stay open. */
  hold(): void {
    this.mode = 'hold';
    for (const { client, upstream } of this.pairs) {
      client.pause();
      upstream.pause();
    }
  }

  /** Destroys every open connection and refuses new ones until `restore()`. */
  cut(): void {
    this.mode = 'cut';
    for (const { client, upstream } of [...this.pairs]) {
      this.destroyed += 1;
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    this.settle();
  }

  /** Every answer from now on is cut off after `bytes` bytes, and its connection destroyed. */
  breakResponses(bytes = 16): void {
    this.breakAfter = bytes;
    this.mode = 'break';
  }

  restore(): void {
    const wasHeld = this.mode === 'hold';
    this.mode = 'open';
    if (!wasHeld) return;
    for (const { client, upstream } of this.pairs) {
      client.resume();
      upstream.resume();
    }
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  waitFor(test: () => boolean): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }

  private settle(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i];
      if (w?.test()) {
        this.waiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
