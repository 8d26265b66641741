import { useEffect } from "react";
import { useApp } from "../app/context";
import { alertFromNotification, toastKindOf, toastText } from "../alerts/alerts";

/** Mounted once for the signed-in app: a toast for every new alert, whatever page is open. */
export function AlertToaster() {
  const { rpc, toast } = useApp();
  useEffect(
    () =>
      rpc.on("alerts", "alert", (params) => {
        const alert = alertFromNotification(params);
        if (alert) toast(toastText(alert), toastKindOf(alert.severity));
      }),
    [rpc, toast],
  );
  return null;
}
