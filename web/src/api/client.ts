// The one typed client of the REST API (/api/v1). Paths, parameters, bodies and results are
// the OpenAPI document's (src/api/openapi.json → schema.gen.ts by `npm run schema`), so a route
// renamed or a field removed on the server fails `tsc`, not the user.
import type { components, paths } from "./schema.gen";

export type Schemas = components["schemas"];
type Method = "get" | "post" | "put" | "delete" | "patch";
type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
type JsonOf<R> = R extends { content: { "application/json": infer J } } ? J : void;
type Success<O> = O extends { responses: infer R }
  ? 200 extends keyof R
    ? JsonOf<R[200]>
    : 201 extends keyof R
      ? JsonOf<R[201]>
      : void
  : never;
type ParamsOf<O> = O extends { parameters: infer X } ? X : never;
// A route without a body says `requestBody?: undefined`, which `{requestBody?: {content…}}` would
// match with B = unknown (making every path-parameter GET demand a body): look at it first.
type BodyOf<O> = O extends { requestBody?: infer R } ? (R extends { content: { "application/json": infer B } } ? B : never) : never;

// Only the parts a caller must give: { path } when the route has {placeholders}, { query } when
// it takes one, { body } when it has a JSON body.
type Options<O> = (ParamsOf<O> extends { path: infer Pa } ? ([Pa] extends [never | undefined] ? unknown : { path: Pa }) : unknown) &
  (ParamsOf<O> extends { query?: infer Q } ? ([Q] extends [never | undefined] ? unknown : { query?: Q }) : unknown) &
  ([BodyOf<O>] extends [never] ? unknown : { body: BodyOf<O> });

export type PathsWith<M extends Method> = { [P in keyof paths]: paths[P][M] extends undefined ? never : P }[keyof paths];

/** The contract's error body, thrown for every non-2xx answer. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  /** A validation error's field, when the server named one. */
  get field(): string | undefined {
    const f = this.details["field"];
    return typeof f === "string" ? f : undefined;
  }
}

/** Where credentials come from; the session implements it (src/auth/session.ts). */
export interface Credentials {
  accessToken(): string | null;
  /** Called once on a 401: true when a new access token is ready to retry with. */
  refresh(): Promise<boolean>;
}

export const API_BASE = "/api/v1";

export function fillPath(template: string, values: Record<string, unknown> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = values?.[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
}

export function queryString(query: Record<string, unknown> | undefined): string {
  if (!query) return "";
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : "";
}

async function errorOf(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
    if (body.error?.code) return new ApiError(response.status, body.error.code, body.error.message ?? body.error.code, body.error.details ?? {});
  } catch {
    // not the contract's body: fall through
  }
  return new ApiError(response.status, `HTTP_${response.status}`, `${response.status} ${response.statusText}`.trim());
}

export class ApiClient {
  constructor(private readonly credentials: Credentials, private readonly fetchImpl: typeof fetch = (...a) => fetch(...a)) {}

  get<P extends PathsWith<"get">>(path: P, options?: Options<Operation<P, "get">>) {
    return this.call<Success<Operation<P, "get">>>("GET", path, options);
  }
  post<P extends PathsWith<"post">>(path: P, options?: Options<Operation<P, "post">>) {
    return this.call<Success<Operation<P, "post">>>("POST", path, options);
  }
  put<P extends PathsWith<"put">>(path: P, options?: Options<Operation<P, "put">>) {
    return this.call<Success<Operation<P, "put">>>("PUT", path, options);
  }
  delete<P extends PathsWith<"delete">>(path: P, options?: Options<Operation<P, "delete">>) {
    return this.call<Success<Operation<P, "delete">>>("DELETE", path, options);
  }

  /** A GET whose body is not JSON (a JPEG, an MP4): the raw response, after the same auth. */
  async blob<P extends PathsWith<"get">>(path: P, options?: Options<Operation<P, "get">>): Promise<Blob> {
    const response = await this.send("GET", path, options);
    return response.blob();
  }

  /** The URL of a route, for <a href> and players (they send no header: add a token yourself). */
  url<P extends keyof paths>(path: P, options?: { path?: Record<string, unknown>; query?: Record<string, unknown> }): string {
    return API_BASE + fillPath(path as string, options?.path) + queryString(options?.query);
  }

  private async call<T>(method: string, path: string, options: unknown): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    const type = response.headers.get("Content-Type") ?? "";
    return (type.includes("json") ? await response.json() : undefined) as T;
  }

  private async send(method: string, path: string, options: unknown, retried = false): Promise<Response> {
    const o = (options ?? {}) as { path?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
    const headers: Record<string, string> = { Accept: "application/json" };
    const token = this.credentials.accessToken();
    if (token) headers["Authorization"] = `Bearer ${token}`;
    if (o.body !== undefined) headers["Content-Type"] = "application/json";
    const response = await this.fetchImpl(this.url(path as keyof paths, o), {
      method,
      headers,
      body: o.body === undefined ? null : JSON.stringify(o.body),
    });
    if (response.status === 401 && token && !retried && (await this.credentials.refresh())) {
      return this.send(method, path, options, true);
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }
}
