// The signed-in user's tokens: kept in sessionStorage (this tab, until it closes) or, with
// "remember me", localStorage (30-day refresh token). The access token is refreshed in the
// background before it expires, and on a 401. Other tabs follow a sign-out.
import { ApiClient, ApiError, type Credentials, type Schemas } from "../api/client";

type Stored = { access: string; refresh: string; expiresAt: number; user: Schemas["User"]; remember: boolean };
const KEY = "ocellus.session";

export type SessionListener = (user: Schemas["User"] | null) => void;

export class Session implements Credentials {
  private state: Stored | null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private refreshing: Promise<boolean> | null = null;
  private readonly listeners = new Set<SessionListener>();
  readonly api: ApiClient;

  constructor(private readonly storage: { local: Storage; session: Storage } = { local: localStorage, session: sessionStorage }) {
    this.api = new ApiClient(this);
    this.state = this.load();
    this.schedule();
    if (typeof window !== "undefined") {
      window.addEventListener("storage", (e) => {
        if (e.key === KEY && e.newValue === null && this.state?.remember) this.clear();
      });
    }
  }

  get user(): Schemas["User"] | null {
    return this.state?.user ?? null;
  }

  accessToken(): string | null {
    return this.state?.access ?? null;
  }

  subscribe(listener: SessionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async login(username: string, password: string, remember: boolean): Promise<void> {
    const r = await this.api.post("/auth/login", { body: { username, password, remember_me: remember } });
    this.set({ access: r.access_token, refresh: r.refresh_token, expiresAt: Date.now() + r.expires_in * 1000, user: r.user, remember });
  }

  async logout(): Promise<void> {
    const refresh = this.state?.refresh;
    try {
      if (refresh) await this.api.post("/auth/logout", { body: { refresh_token: refresh } });
    } catch {
      // signed out here whatever the server says
    }
    this.clear();
  }

  /** One refresh at a time; false (and signed out) when the refresh token is no longer good. */
  refresh(): Promise<boolean> {
    if (!this.state) return Promise.resolve(false);
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<boolean> {
    const current = this.state;
    if (!current) return false;
    try {
      const r = await new ApiClient({ accessToken: () => null, refresh: async () => false }).post("/auth/refresh", {
        body: { refresh_token: current.refresh },
      });
      this.set({ ...current, access: r.access_token, refresh: r.refresh_token, expiresAt: Date.now() + r.expires_in * 1000, user: r.user });
      return true;
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 400)) this.clear();
      else this.schedule(10_000); // the server is away: try again soon, keep the session
      return false;
    }
  }

  private set(next: Stored) {
    this.state = next;
    const text = JSON.stringify(next);
    (next.remember ? this.storage.local : this.storage.session).setItem(KEY, text);
    (next.remember ? this.storage.session : this.storage.local).removeItem(KEY);
    this.schedule();
    this.listeners.forEach((l) => l(next.user));
  }

  private clear() {
    const had = this.state !== null;
    this.state = null;
    this.storage.local.removeItem(KEY);
    this.storage.session.removeItem(KEY);
    clearTimeout(this.timer);
    if (had) this.listeners.forEach((l) => l(null));
  }

  private load(): Stored | null {
    const text = this.storage.session.getItem(KEY) ?? this.storage.local.getItem(KEY);
    if (!text) return null;
    try {
      return JSON.parse(text) as Stored;
    } catch {
      return null;
    }
  }

  private schedule(delayMs?: number) {
    clearTimeout(this.timer);
    if (!this.state) return;
    // A minute before expiry; a quarter of the time left for short-lived tokens (tests use 30 s).
    const left = this.state.expiresAt - Date.now();
    const wait = delayMs ?? Math.max(1_000, left > 240_000 ? left - 60_000 : left * 0.75);
    this.timer = setTimeout(() => void this.refresh(), wait);
  }
}
