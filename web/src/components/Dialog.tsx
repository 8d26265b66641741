import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal <dialog>: the browser keeps the focus inside, Escape closes it, and the page behind is
 * inert. `onClose` runs however it closes (Escape, the close button, the owner unmounting it).
 */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    dialog.showModal();
    const closed = () => close.current();
    dialog.addEventListener("close", closed);
    return () => {
      dialog.removeEventListener("close", closed);
      dialog.close();
    };
  }, []);
  return (
    <dialog ref={ref} className="dialog card" aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {children}
      <div className="row end">
        <button type="button" className="primary" onClick={() => ref.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
