import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, type Schemas } from "../api/client";
import { errorMessage } from "../components/ErrorText";
import { useApp } from "./context";

type Preferences = Schemas["Preferences"];

/** The signed-in user's dashboard preferences (GET/PUT /users/me/preferences), saved on the
 * server so they follow the user. `loaded` turns true once read, or once the server said it has
 * none to give: a server without the route (404) keeps them in this page only. */
export function usePreferences() {
  const { api, toast } = useApp();
  const [preferences, setPreferences] = useState<Preferences>({});
  const [loaded, setLoaded] = useState(false);
  const current = useRef<Preferences>({});
  const stored = useRef(true);
  // PUTs one after another, so the last change is the one the server keeps.
  const saving = useRef<Promise<unknown>>(Promise.resolve());

  useEffect(() => {
    let live = true;
    api
      .get("/users/me/preferences")
      .then(
        (p) => {
          if (!live) return;
          current.current = p ?? {};
          setPreferences(current.current);
        },
        (e: unknown) => {
          if (e instanceof ApiError && e.status === 404) stored.current = false;
          else if (live) toast(`Could not load your saved layout: ${errorMessage(e)}`, "warning");
        },
      )
      .finally(() => live && setLoaded(true));
    return () => {
      live = false;
    };
  }, [api, toast]);

  /** Replaces the top-level keys given; the server stores the whole object, so the rest goes along. */
  const update = useCallback(
    (patch: Partial<Preferences>) => {
      const next = { ...current.current, ...patch };
      current.current = next;
      setPreferences(next);
      if (!stored.current) return;
      saving.current = saving.current
        .then(() => api.put("/users/me/preferences", { body: next }))
        .catch((e: unknown) => toast(`Could not save your layout: ${errorMessage(e)}`, "error"));
    },
    [api, toast],
  );
  return { preferences, loaded, update };
}
