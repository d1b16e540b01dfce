// The API token lives in sessionStorage only: gone when the tab closes, never in a URL or a cookie.
const TOKEN_KEY = "tracegraph.token";
const NOTICE_KEY = "tracegraph.notice";

export function token(): string | null {
  return window.sessionStorage.getItem(TOKEN_KEY);
}

export function signIn(secret: string): void {
  window.sessionStorage.setItem(TOKEN_KEY, secret);
  window.sessionStorage.removeItem(NOTICE_KEY);
}

/** Forget the token; `notice` is shown once on the sign-in page (why the user is back there). */
export function signOut(notice?: string): void {
  window.sessionStorage.removeItem(TOKEN_KEY);
  if (notice) window.sessionStorage.setItem(NOTICE_KEY, notice);
  else window.sessionStorage.removeItem(NOTICE_KEY);
}

export function takeNotice(): string | null {
  const notice = window.sessionStorage.getItem(NOTICE_KEY);
  window.sessionStorage.removeItem(NOTICE_KEY);
  return notice;
}
