// A page that updates live: its subscription, the refresh of its one query when an event arrives, and the small
// indicator (connected / reconnecting) with a polite live region announcing each new snapshot.
//
// The refresh re-runs the page's query (network-only): the page's first request stays its only one per load, and
// each later request is caused by an event. Events that arrive while a refresh runs are folded into one more
// refresh after it, so a burst of reports costs at most two requests.
//
// The subscription starts `after` the `liveCursor` the page's first answer carried (read with its data), so a
// report committed between that query and the subscription joining, or while the socket was down before any
// event, still arrives. The position is read at the start of the query: an event at or before the data shown
// costs at most one redundant refresh, which is acceptable. A refresh's newer cursor is not used (resubscribing
// would gain nothing: live.ts resumes from the last event's cursor, or else from this one).
import type { AnyVariables, CombinedError, DocumentInput } from "@urql/core";
import { useSubscription } from "@urql/preact";
import { createContext } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { Live, LiveState } from "../live";

export const LiveContext = createContext<Live | null>(null);

function useLiveState(): LiveState {
  const live = useContext(LiveContext);
  const [state, setState] = useState<LiveState>(() => live?.state() ?? "idle");
  useEffect(() => {
    if (!live) return undefined;
    setState(live.state());
    return live.watch(setState);
  }, [live]);
  return state;
}

type LiveOptions<Data, Variables extends AnyVariables> = {
  query: DocumentInput<Data, Variables>;
  variables: Variables;
  /** No subscription (the page shows a fixed part of the past). */
  pause: boolean;
  /** The `liveCursor` of the page's answer (undefined until it has one): the subscription starts after it. */
  cursor: string | undefined;
  /** Whether the page's query is running (a refresh waits for it). */
  fetching: boolean;
  /** Re-run the page's query from the network. */
  refresh: () => void;
  /** What the live region announces for an event ("New snapshot aws-prod#180"). */
  announce: (event: Data) => string;
};

export type LiveUpdates = { paused: boolean; announcement: string; error: CombinedError | undefined };

export function useLiveUpdates<Data, Variables extends AnyVariables & { after?: string | null }>({
  query,
  variables,
  pause,
  cursor,
  fetching,
  refresh,
  announce,
}: LiveOptions<Data, Variables>): LiveUpdates {
  const key = JSON.stringify(variables);
  // The first cursor for these variables, kept: a refresh's newer one must not restart the subscription. Right
  // after a navigation it may still be the previous answer's, which is older: at worst a redundant refresh.
  const start = useRef<{ key: string; cursor: string } | null>(null);
  if (cursor !== undefined && start.current?.key !== key) start.current = { key, cursor };
  const after = start.current?.key === key ? start.current.cursor : undefined;
  const [result] = useSubscription<Data, Data, Variables>({
    query,
    variables: { ...variables, after },
    pause: pause || after === undefined, // waits for the page's answer (its cursor)
  });
  const [announcement, setAnnouncement] = useState("");
  const pending = useRef(false);
  useEffect(() => setAnnouncement(""), [key]);
  useEffect(() => {
    if (result.data === undefined || pause) return;
    setAnnouncement(announce(result.data));
    if (fetching) pending.current = true;
    else refresh();
  }, [result.data]); // only a new event (not a new `fetching` or callback identity)
  useEffect(() => {
    if (!fetching && pending.current) {
      pending.current = false;
      refresh();
    }
  }, [fetching]);
  return { paused: pause, announcement, error: pause ? undefined : result.error };
}

const SHOWN: Record<LiveState, string> = {
  idle: "Live updates starting…",
  connecting: "Connecting live updates…",
  live: "Live",
  reconnecting: "Live updates interrupted: reconnecting…",
};

/** The indicator, and the polite region that announces events (present from the start, so additions are read). */
export function LiveStatus({ updates, pausedWhy = "" }: { updates: LiveUpdates; pausedWhy?: string }) {
  const state = useLiveState();
  let shown: string;
  let kind: string;
  if (updates.paused) {
    shown = `Not live: ${pausedWhy}`;
    kind = "off";
  } else if (updates.error) {
    const message = updates.error.graphQLErrors.map((item) => item.message).join(" ") || updates.error.message;
    shown = `Live updates stopped: ${message}`;
    kind = "off";
  } else {
    shown = SHOWN[state];
    kind = state;
  }
  return (
    <div class="live">
      <span class={`live-state ${kind}`} data-live={kind}>
        {shown}
      </span>
      <span class="live-news" aria-live="polite">
        {updates.announcement}
      </span>
    </div>
  );
}
