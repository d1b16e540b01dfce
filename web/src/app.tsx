// The shell: session, client, header and the routes. Every page asks its data in one request (see pages/).
import { Provider } from "@urql/preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { createClient, REFUSED } from "./client";
import { Header } from "./components/Header";
import { LiveContext } from "./components/Live";
import { createLive } from "./live";
import { Artifact } from "./pages/Artifact";
import { Commit } from "./pages/Commit";
import { Diff } from "./pages/Diff";
import { Environments } from "./pages/Environments";
import { Orgs } from "./pages/Orgs";
import { Search } from "./pages/Search";
import { SignIn } from "./pages/SignIn";
import { Snapshot } from "./pages/Snapshot";
import { Timeline } from "./pages/Timeline";
import { match, navigate, useLocation, type Location } from "./router";
import * as session from "./session";

type Routed = { org: string | null; page: preact.JSX.Element };

function route({ path, query }: Location): Routed {
  const q = (name: string): string => query.get(name) ?? "";
  const nullable = (name: string): string | null => query.get(name);
  let params: Record<string, string> | null;
  if (path === "/") return { org: null, page: <Orgs /> };
  if ((params = match("/orgs/:org", path)) || (params = match("/orgs/:org/environments", path))) {
    return { org: params["org"]!, page: <Environments org={params["org"]!} after={nullable("after")} /> };
  }
  if ((params = match("/orgs/:org/environments/:env", path))) {
    const filters = { interval: q("interval"), flow: q("flow"), since: q("since"), until: q("until"), after: nullable("after"), before: nullable("before") };
    return { org: params["org"]!, page: <Timeline org={params["org"]!} env={params["env"]!} filters={filters} /> };
  }
  if ((params = match("/orgs/:org/environments/:env/snapshots/:n", path)) && /^\d+$/.test(params["n"]!)) {
    const page = (
      <Snapshot org={params["org"]!} env={params["env"]!} index={Number(params["n"])} after={nullable("after")} before={nullable("before")} />
    );
    return { org: params["org"]!, page };
  }
  if ((params = match("/orgs/:org/diff", path))) {
    return { org: params["org"]!, page: <Diff org={params["org"]!} from={q("from")} to={q("to")} /> };
  }
  if ((params = match("/orgs/:org/artifacts/:flow/:fingerprint", path))) {
    return { org: params["org"]!, page: <Artifact org={params["org"]!} flow={params["flow"]!} fingerprint={params["fingerprint"]!} /> };
  }
  if ((params = match("/orgs/:org/commits/:sha", path))) {
    return { org: params["org"]!, page: <Commit org={params["org"]!} sha={params["sha"]!} /> };
  }
  if ((params = match("/orgs/:org/search", path))) {
    return { org: params["org"]!, page: <Search org={params["org"]!} prefix={q("q")} /> };
  }
  return {
    org: null,
    page: (
      <section aria-labelledby="failure-heading">
        <h1 id="failure-heading">Not found</h1>
        <p>There is no page at this address.</p>
        <p>
          <a href="/">Back to your orgs</a>
        </p>
      </section>
    ),
  };
}

export function App() {
  const location = useLocation();
  const [token, setToken] = useState(session.token);
  const [notice, setNotice] = useState(session.takeNotice);
  const connection = useMemo(() => {
    if (!token) return null;
    const refused = (message: string): void => {
      session.signOut(message);
      setNotice(session.takeNotice());
      setToken(null);
    };
    // The WebSocket's 4401 (a token revoked while a live page is open) reads as an HTTP 401 does.
    const live = createLive({ token, onRefused: () => refused(REFUSED) });
    return { live, client: createClient({ token, onRefused: refused, extraExchanges: [live.exchange] }) };
  }, [token]);
  useEffect(() => () => connection?.live.dispose(), [connection]);
  const client = connection?.client ?? null;
  const signOut = (): void => {
    session.signOut();
    setNotice(null);
    setToken(null);
    navigate("/");
  };
  const routed = client ? route(location) : null;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <Header org={routed?.org ?? null} signedIn={client !== null} onSignOut={signOut} />
      <main id="main" tabIndex={-1} data-state="loading">
        {client && routed ? (
          <Provider value={client} key={token}>
            <LiveContext.Provider value={connection?.live ?? null}>{routed.page}</LiveContext.Provider>
          </Provider>
        ) : (
          <SignIn
            notice={notice}
            onSignIn={(secret) => {
              session.signIn(secret);
              setNotice(null);
              setToken(secret);
            }}
          />
        )}
      </main>
      <footer class="site">
        <a href="/graphql">GraphiQL</a> · every page here is one query you can run there
      </footer>
    </>
  );
}
