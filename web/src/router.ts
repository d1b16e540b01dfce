// A small history router: the UI's routes are few and flat, so a dependency would add more than it saves.
import { useEffect, useState } from "preact/hooks";

export type Location = { path: string; query: URLSearchParams };

const listeners = new Set<() => void>();

function current(): Location {
  return { path: window.location.pathname, query: new URLSearchParams(window.location.search) };
}

export function navigate(url: string, { replace = false }: { replace?: boolean } = {}): void {
  const same = url === window.location.pathname + window.location.search;
  if (replace) window.history.replaceState(null, "", url);
  else window.history.pushState(null, "", url);
  window.scrollTo(0, 0);
  // The same address asks nothing new: the page stays as it is (and ready).
  if (!same) document.getElementById("main")?.setAttribute("data-state", "loading");
  listeners.forEach((listener) => listener());
}

export function useLocation(): Location {
  const [location, setLocation] = useState(current);
  useEffect(() => {
    const update = (): void => {
      document.getElementById("main")?.setAttribute("data-state", "loading");
      setLocation(current());
    };
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return location;
}

/** Same-origin links navigate without a page load (plain `<a href>` everywhere, so links work without script too). */
export function interceptLinks(): void {
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
      return;
    }
    const anchor = (event.target as Element | null)?.closest?.("a");
    if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
    const url = new URL(anchor.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname.startsWith("/static/") || url.pathname === "/graphql") {
      return;
    }
    event.preventDefault();
    navigate(url.pathname + url.search);
  });
}

/** Matches `/orgs/:org/environments` style patterns; parameters are URI-decoded. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const source = pattern.replace(/:([a-z]+)/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  const found = new RegExp(`^${source}/?$`).exec(path);
  if (!found) return null;
  const params: Record<string, string> = {};
  names.forEach((name, position) => {
    params[name] = decodeURIComponent(found[position + 1] ?? "");
  });
  return params;
}

/** A path from segments, each URI-encoded (names may hold dots and other reserved characters). */
export function href(...segments: (string | number)[]): string {
  return "/" + segments.map((segment) => encodeURIComponent(String(segment))).join("/");
}

export function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== null && value !== undefined && value !== "") params.set(key, String(value));
  }
  const text = params.toString().replace(/%2E/gi, ".");
  return text ? `${path}?${text}` : path;
}
