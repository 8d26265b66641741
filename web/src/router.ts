// Hash routes (#/live, #/recordings?camera=demo): the server serves one page at /, and every
// other path stays free for streams (/{path}/ is a stream's player page).
import { useSyncExternalStore } from "react";

export type Route = { path: string; query: URLSearchParams };

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, "") || "/";
  const q = raw.indexOf("?");
  const path = (q < 0 ? raw : raw.slice(0, q)) || "/";
  return { path: path.startsWith("/") ? path : `/${path}`, query: new URLSearchParams(q < 0 ? "" : raw.slice(q + 1)) };
}

/** Matches "/live/:camera" against "/live/demo" → { camera: "demo" }; null when it does not match. */
export function matchRoute(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split("/").filter(Boolean);
  const s = path.split("/").filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const part = p[i]!;
    const value = s[i]!;
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(value);
    else if (part !== value) return null;
  }
  return params;
}

function subscribe(onChange: () => void) {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  return parseHash(hash);
}

export function navigate(to: string, options: { replace?: boolean } = {}) {
  const hash = `#${to}`;
  if (options.replace) history.replaceState(null, "", hash);
  else history.pushState(null, "", hash);
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}

export function href(to: string): string {
  return `#${to}`;
}
