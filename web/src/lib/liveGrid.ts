// The live grid's arithmetic: which cameras, in which order, on which page. The grid shows
// `layout` tiles per page (1, 4, 9 or 16); more cameras make more pages.
import type { Schemas } from "../api/client";

export const LAYOUTS = [1, 4, 9, 16] as const;
export type GridLayout = (typeof LAYOUTS)[number];
export type LivePrefs = { layout: GridLayout; order: string[] };

export const DEFAULT_LIVE_PREFS: LivePrefs = { layout: 4, order: [] };

/** The `live` part of the user's saved preferences; anything missing or unusable is the default. */
export function livePrefsOf(preferences: Schemas["Preferences"] | undefined): LivePrefs {
  const live = preferences?.live;
  const layout = LAYOUTS.find((l) => l === live?.layout) ?? DEFAULT_LIVE_PREFS.layout;
  const order = Array.isArray(live?.order) ? live.order.filter((id): id is string => typeof id === "string") : [];
  return { layout, order };
}

/** Cameras in grid order: those `order` names first, in its order, then the others by name. */
export function orderCameras<C extends { id: string; name: string }>(cameras: readonly C[], order: readonly string[]): C[] {
  const rank = new Map(order.map((id, i) => [id, i]));
  return [...cameras].sort((a, b) => {
    const ra = rank.get(a.id) ?? Infinity;
    const rb = rank.get(b.id) ?? Infinity;
    if (ra !== rb) return ra - rb;
    return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  });
}

/** `ids` with the element at `from` moved to index `to` (clamped to the list). */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const result = [...items];
  if (from < 0 || from >= result.length) return result;
  const [item] = result.splice(from, 1);
  result.splice(Math.max(0, Math.min(to, result.length)), 0, item as T);
  return result;
}

export function pageCount(items: number, layout: GridLayout): number {
  return Math.max(1, Math.ceil(items / layout));
}

/** The items on page `page` (0-based; clamped to the last page). */
export function pageItems<T>(items: readonly T[], layout: GridLayout, page: number): { items: T[]; page: number; first: number } {
  const last = pageCount(items.length, layout) - 1;
  const p = Math.max(0, Math.min(page, last));
  const first = p * layout;
  return { items: items.slice(first, first + layout), page: p, first };
}

/** Tiles per row on a wide screen: 1, 2, 3 or 4. */
export function columns(layout: GridLayout): number {
  return Math.sqrt(layout);
}
