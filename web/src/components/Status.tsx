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

/** Marks the page as rendered with its data (tests and bench/ui_pages.py wait for it). */
export function Ready({ children, title }: { children: ComponentChildren; title: string }) {
  useEffect(() => {
    document.title = `${title} · tracegraph`;
    document.getElementById("main")?.setAttribute("data-state", "ready");
    performance.mark("tracegraph:ready");
    return () => document.getElementById("main")?.setAttribute("data-state", "loading");
  }, [title]);
  return <>{children}</>;
}

type Result<T> = { data?: T | undefined; error?: CombinedError | undefined; fetching: boolean };

/** The page's body once its request answered; loading or the failure before. */
export function Page<T>({ result, title, children }: { result: Result<T>; title: string; children: (data: T) => ComponentChildren }) {
  if (result.error && !result.data) return <Failure error={result.error} />;
  if (!result.data) return <Loading />;
  return (
    <Ready title={title}>
      {result.error && <Failure error={result.error} />}
      {children(result.data)}
    </Ready>
  );
}
