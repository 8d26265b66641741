import { createContext, useContext } from "react";
import type { ApiClient, Schemas } from "../api/client";
import type { RpcSocket } from "../api/rpc";
import type { Session } from "../auth/session";

export type ToastKind = "info" | "success" | "warning" | "error";

export type AppContextValue = {
  session: Session;
  api: ApiClient;
  rpc: RpcSocket;
  user: Schemas["User"];
  toast: (message: string, kind?: ToastKind) => void;
};

export const AppContext = createContext<AppContextValue | null>(null);

/** The signed-in app's services; only inside <AppContext.Provider> (every page but login). */
export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error("useApp outside the signed-in app");
  return value;
}
