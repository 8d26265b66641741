// Saving files from the dashboard. Routes that need the bearer token (a snapshot, an exported
// clip) are fetched by the API client and saved from an object URL; signed URLs are followed.

/** A signed URL the server built from its configured public address, made relative to this
 * page's origin: the CSP allows 'self' only, and the browser may know the server by another name. */
export function sameOrigin(url: string): string {
  const u = new URL(url, location.href);
  return u.pathname + u.search;
}

/** Starts a download of `href` as `filename` (a click on a temporary <a download>). */
export function saveUrl(href: string, filename: string) {
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
}

/** Saves a fetched body; the object URL lives a minute, long enough for the download to begin. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  saveUrl(url, filename);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
