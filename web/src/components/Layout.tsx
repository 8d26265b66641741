import { useEffect, useState, type ReactNode } from "react";
import { useApp } from "../app/context";
import type { ConnectionState } from "../api/rpc";
import { atLeast } from "../roles";
import { href, useRoute } from "../router";

type NavItem = { to: string; label: string; admin?: boolean };
const items: NavItem[] = [
  { to: "/live", label: "Live" },
  { to: "/recordings", label: "Recordings" },
  { to: "/alerts", label: "Alerts" },
  { to: "/admin/cameras", label: "Cameras", admin: true },
  { to: "/admin/users", label: "Users", admin: true },
  { to: "/admin/tokens", label: "API tokens", admin: true },
  { to: "/admin/storage", label: "Storage", admin: true },
  { to: "/admin/system", label: "System", admin: true },
];

export function Layout({ children }: { children: ReactNode }) {
  const { user, session, rpc } = useApp();
  const { path } = useRoute();
  const [menuOpen, setMenuOpen] = useState(false);
  const [connection, setConnection] = useState<ConnectionState>(rpc.state);
  useEffect(() => rpc.onState(setConnection), [rpc]);
  useEffect(() => setMenuOpen(false), [path]);
  const visible = items.filter((i) => !i.admin || atLeast(user.role, "admin"));
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href={href("/live")}>
          Ocellus
        </a>
        <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen((o) => !o)}>
          Menu
        </button>
        <nav id="nav" className={menuOpen ? "nav open" : "nav"} aria-label="Main">
          {visible.map((i) => (
            <a key={i.to} href={href(i.to)} aria-current={path.startsWith(i.to) ? "page" : undefined}>
              {i.label}
            </a>
          ))}
        </nav>
        <span className={`connection connection-${connection}`} title={`Live updates: ${connection}`}>
          <span className="dot" aria-hidden="true" />
          <span className="visually-hidden">Live updates {connection}</span>
        </span>
        <span className="whoami">
          {user.username} <span className="role">{user.role}</span>
        </span>
        <button type="button" onClick={() => void session.logout()}>
          Sign out
        </button>
      </header>
      <main className="page">{children}</main>
    </div>
  );
}
