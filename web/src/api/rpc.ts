// The tab's one WebSocket to /ws (JSON-RPC 2.0, docs/api/json-rpc.md): authenticates with the
// session's token, subscribes to the topics pages ask for, reconnects with backoff and, once
// back, tells every `onResync` listener to fetch its state again (events missed while away are
// not replayed by the server).
import { backoffDelay } from "../lib/backoff";

export type Topic = "camera_status" | "recording_status" | "alerts";
export type ConnectionState = "connecting" | "online" | "offline";

export class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
type Notify = (params: Record<string, unknown>) => void;

export interface TokenSource {
  accessToken(): string | null;
  refresh(): Promise<boolean>;
}

export class RpcSocket {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private attempt = 0;
  private ready = false;
  private closed = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly waiting: Array<() => void> = [];
  private readonly topics = new Map<Topic, number>();
  private readonly handlers = new Map<string, Set<Notify>>();
  private readonly resync = new Set<() => void>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  state: ConnectionState = "connecting";

  constructor(private readonly tokens: TokenSource, private readonly url = defaultUrl()) {}

  start() {
    this.closed = false;
    this.open();
  }

  stop() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.ws?.close();
    this.ws = null;
  }

  /** A call; waits for the connection. Rejects with RpcError on a JSON-RPC error. */
  async call<T = unknown>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    try {
      return await this.send<T>(method, params);
    } catch (e) {
      if (e instanceof RpcError && e.code === -32001 && (await this.tokens.refresh())) {
        await this.authenticate();
        return this.send<T>(method, params);
      }
      throw e;
    }
  }

  /** Subscribes to a notification; the topic is subscribed on the server while anyone listens. */
  on(topic: Topic, method: string, handler: Notify): () => void {
    let set = this.handlers.get(method);
    if (!set) this.handlers.set(method, (set = new Set()));
    set.add(handler);
    const count = (this.topics.get(topic) ?? 0) + 1;
    this.topics.set(topic, count);
    if (count === 1 && this.ready) void this.send("subscribe_events", { topics: [topic] }).catch(() => {});
    return () => {
      set.delete(handler);
      const left = (this.topics.get(topic) ?? 1) - 1;
      if (left > 0) {
        this.topics.set(topic, left);
        return;
      }
      this.topics.delete(topic);
      if (this.ready) void this.send("unsubscribe_events", { topics: [topic] }).catch(() => {});
    };
  }

  /** Called after every reconnect (not the first connect). */
  onResync(listener: () => void): () => void {
    this.resync.add(listener);
    return () => this.resync.delete(listener);
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Re-authenticates the open connection, e.g. after the session refreshed its token. */
  async authenticate(): Promise<void> {
    const token = this.tokens.accessToken();
    if (token && this.ws?.readyState === WebSocket.OPEN) await this.raw("authenticate", { auth_token: token });
  }

  private setState(s: ConnectionState) {
    if (this.state === s) return;
    this.state = s;
    this.stateListeners.forEach((l) => l(s));
  }

  private open() {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    this.setState("connecting");
    ws.onmessage = (e) => this.receive(String(e.data));
    ws.onopen = () => void this.handshake(ws);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ready = false;
      this.ws = null;
      for (const p of this.pending.values()) p.reject(new RpcError(-32603, "connection lost"));
      this.pending.clear();
      if (this.closed) return;
      this.setState("offline");
      this.retryTimer = setTimeout(() => this.open(), backoffDelay(this.attempt++));
    };
  }

  private async handshake(ws: WebSocket) {
    try {
      try {
        await this.authenticate();
      } catch (e) {
        // The access token expired while we were away (or the server restarted with new keys):
        // refresh it once, then authenticate again; otherwise close and retry later.
        if (!(e instanceof RpcError && e.code === -32001 && (await this.tokens.refresh()))) throw e;
        await this.authenticate();
      }
      const topics = [...this.topics.keys()];
      if (topics.length) await this.raw("subscribe_events", { topics });
    } catch {
      ws.close();
      return;
    }
    const reconnected = this.attempt > 0;
    this.attempt = 0;
    this.ready = true;
    this.setState("online");
    this.waiting.splice(0).forEach((go) => go());
    if (reconnected) this.resync.forEach((l) => l());
  }

  private async send<T>(method: string, params: Record<string, unknown>): Promise<T> {
    if (!this.ready) await new Promise<void>((go) => this.waiting.push(go));
    return this.raw<T>(method, params);
  }

  private raw<T>(method: string, params: Record<string, unknown>): Promise<T> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new RpcError(-32603, "not connected"));
    const id = this.nextId++;
    ws.send(JSON.stringify({ jsonrpc: "2.0", method, params, id }));
    return new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
  }

  private receive(text: string) {
    let message: { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: { code: number; message: string; data?: unknown } };
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (message.method && message.id === undefined) {
      this.handlers.get(message.method)?.forEach((h) => h(message.params ?? {}));
      return;
    }
    const pending = message.id === undefined ? undefined : this.pending.get(message.id);
    if (!pending || message.id === undefined) return;
    this.pending.delete(message.id);
    if (message.error) pending.reject(new RpcError(message.error.code, message.error.message, message.error.data));
    else pending.resolve(message.result);
  }
}

function defaultUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
}
