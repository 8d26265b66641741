import { useEffect, useState, type RefObject } from "react";

/** Whether any of the element is on screen (and the tab visible): tiles out of view stop streaming. */
export function useInView(ref: RefObject<Element | null>): boolean {
  const [intersecting, setIntersecting] = useState(false);
  const [tabVisible, setTabVisible] = useState(() => document.visibilityState === "visible");
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new IntersectionObserver((entries) => {
      const last = entries[entries.length - 1];
      if (last) setIntersecting(last.isIntersecting);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);
  useEffect(() => {
    const onChange = () => setTabVisible(document.visibilityState === "visible");
    document.addEventListener("visibilitychange", onChange);
    return () => document.removeEventListener("visibilitychange", onChange);
  }, []);
  return intersecting && tabVisible;
}
