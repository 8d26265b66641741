import { lazy, Suspense, useCallback, useEffect, useMemo, useState, type ComponentType } from "react";
import { RpcSocket } from "./api/rpc";
import { AppContext, type AppContextValue, type ToastKind } from "./app/context";
import { AlertToaster } from "./components/AlertToaster";
import { Session } from "./auth/session";
import { Layout } from "./components/Layout";
import { Toasts, type Toast } from "./components/Toasts";
import { LoginPage } from "./pages/LoginPage";
import { atLeast, type Role } from "./roles";
import { matchRoute, navigate, useRoute } from "./router";

const page = <K extends string>(load: () => Promise<Record<K, ComponentType<Record<string, string>>>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] }));

// Pattern → page, and the least role that sees it (the server refuses the API calls anyway).
const routes: Array<{ pattern: string; role: Role; Page: ComponentType<Record<string, string>> }> = [
  { pattern: "/live", role: "viewer", Page: page(() => import("./pages/LivePage"), "LivePage") },
  { pattern: "/live/:camera", role: "viewer", Page: page(() => import("./pages/CameraViewPage"), "CameraViewPage") },
  { pattern: "/recordings", role: "viewer", Page: page(() => import("./pages/RecordingsPage"), "RecordingsPage") },
  { pattern: "/alerts", role: "viewer", Page: page(() => import("./pages/AlertsPage"), "AlertsPage") },
  { pattern: "/admin/cameras", role: "admin", Page: page(() => import("./pages/admin/CamerasPage"), "CamerasPage") },
  { pattern: "/admin/users", role: "admin", Page: page(() => import("./pages/admin/UsersPage"), "UsersPage") },
  { pattern: "/admin/tokens", role: "admin", Page: page(() => import("./pages/admin/TokensPage"), "TokensPage") },
  { pattern: "/admin/storage", role: "admin", Page: page(() => import("./pages/admin/StoragePage"), "StoragePage") },
  { pattern: "/admin/system", role: "admin", Page: page(() => import("./pages/admin/SystemPage"), "SystemPage") },
];

const session = new Session();

export function App() {
  const [user, setUser] = useState(session.user);
  useEffect(() => session.subscribe(setUser), []);
  const route = useRoute();

  if (!user) {
    if (route.path !== "/login") {
      const next = route.path === "/" ? "" : `?next=${encodeURIComponent(location.hash.slice(1))}`;
      navigate(`/login${next}`, { replace: true });
    }
    return <LoginPage session={session} />;
  }
  if (route.path === "/login" || route.path === "/") {
    navigate(route.query.get("next") || "/live", { replace: true });
    return null;
  }
  return <SignedIn user={user} />;
}

function SignedIn({ user }: { user: NonNullable<Session["user"]> }) {
  const route = useRoute();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const rpc = useMemo(() => new RpcSocket(session), []);
  useEffect(() => {
    rpc.start();
    // A refreshed access token re-authenticates the socket before the old one expires.
    const unsubscribe = session.subscribe((u) => u && void rpc.authenticate().catch(() => {}));
    return () => {
      unsubscribe();
      rpc.stop();
    };
  }, [rpc]);

  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  const toast = useCallback(
    (message: string, kind: ToastKind = "info") => {
      const id = Date.now() + Math.random();
      setToasts((t) => [...t.slice(-4), { id, message, kind }]);
      setTimeout(() => dismiss(id), kind === "error" ? 10_000 : 5_000);
    },
    [dismiss],
  );
  const context: AppContextValue = useMemo(() => ({ session, api: session.api, rpc, user, toast }), [rpc, user, toast]);

  let content = <NotFound />;
  for (const r of routes) {
    const params = matchRoute(r.pattern, route.path);
    if (!params) continue;
    content = atLeast(user.role, r.role) ? <r.Page {...params} /> : <Forbidden />;
    break;
  }
  return (
    <AppContext.Provider value={context}>
      <Layout>
        <Suspense fallback={<p className="muted">Loading…</p>}>{content}</Suspense>
      </Layout>
      <Toasts toasts={toasts} dismiss={dismiss} />
      <AlertToaster />
    </AppContext.Provider>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Not found</h1>
      <p>
        Nothing is here. <a href="#/live">Go to the live view</a>.
      </p>
    </section>
  );
}

function Forbidden() {
  return (
    <section>
      <h1>Not allowed</h1>
      <p>Your role cannot open this page.</p>
    </section>
  );
}
