// What a page shows while its one request runs, and when it fails: NOT_FOUND reads the same whether the thing is
// missing or hidden from this token (the server words both alike).
import type { CombinedError } from "@urql/core";
import type { ComponentChildren } from "preact";
import { useEffect } from "preact/hooks";

export function Loading() {
  return (
    <p role="status" class="muted">
      Loading…
    </p>
  );
}

function code(error: CombinedError): string | undefined {
  const value = error.graphQLErrors[0]?.extensions?.["code"];
  return typeof value === "string" ? value : undefined;
}

export function Failure({ error }: { error: CombinedError }) {
  if (error.response?.status === 401) return <Loading />; // the client is taking the user back to sign-in
  const notFound = code(error) === "NOT_FOUND";
  const message = error.graphQLErrors.length
    ? error.graphQLErrors.map((item) => item.message).join(" ")
    : (error.networkError?.message ?? error.message);
  return (
    <section aria-labelledby="failure-heading" class="failure">
      <h1 id="failure-heading">{notFound ? "Not found" : "Something went wrong"}</h1>
      <p role="alert">{message}</p>
      <p>
        <a href="/">Back to your orgs</a>
      </p>
    </section>
  );
}

/** Marks the page as shown with its data (tests and bench/ui_pages.py wait for `main[data-state=ready]`); the
router marks it "loading" as it navigates, so a page's previous data never passes for the next one's. */
export function markReady(title: string): void {
  document.title = `${title} · tracegraph`;
  document.getElementById("main")?.setAttribute("data-state", "ready");
  performance.mark("tracegraph:ready");
}

type Result<T> = { data?: T | undefined; error?: CombinedError | undefined; fetching: boolean };

/** The page's body once its request answered; loading or the failure before. While a new request of the same page
 * runs (another page of the log, other filters) the previous answer stays, marked busy. */
export function Page<T>({ result, title, children }: { result: Result<T>; title: string; children: (data: T) => ComponentChildren }) {
  const settled = !result.fetching && (result.data !== undefined || result.error !== undefined);
  useEffect(() => {
    if (settled) markReady(title);
  }, [settled, result.data, result.error, title]);
  if (result.error && !result.data) return <Failure error={result.error} />;
  if (!result.data) return <Loading />;
  return (
    <div aria-busy={result.fetching}>
      {result.error && <Failure error={result.error} />}
      {children(result.data)}
    </div>
  );
}
