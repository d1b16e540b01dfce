// Live updates: GraphQL subscriptions over a WebSocket on /graphql (graphql-transport-ws, docs/live.md) through
// urql's subscriptionExchange and the graphql-ws client.
//
// Browsers cannot set headers on a WebSocket, so the token goes in connection_init's payload. The server closes
// the socket with 4401 when the token is refused (at connect, or at a re-check after a revocation): the UI returns
// to sign-in with the same message as for an HTTP 401. Any other close (the network, a server restart, 1011 when
// the store was away, 4413 for a slow reader) is retried here with backoff, each subscription resuming `after`
// the cursor of the last event it received (or else the `after` the page started it with: the `liveCursor` read
// with the page's data), so no event is missed or repeated across the gap. graphql-ws's own
// retries are off: they would re-send the first payload (without the cursor) and give up on 1011.
import { subscriptionExchange, type Exchange, type ExecutionResult } from "@urql/core";
import { createClient as createSocket, type Client as Socket } from "graphql-ws";

/** What the indicator shows: no live page open, the first connection, connected, or waiting to reconnect. */
export type LiveState = "idle" | "connecting" | "live" | "reconnecting";

export const UNAUTHORIZED = 4401;
const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 30_000;

type Observer = {
  next: (result: ExecutionResult) => void;
  error: (error: unknown) => void;
  complete: () => void;
};

export type Live = {
  exchange: Exchange;
  state: () => LiveState;
  /** Calls `listener` on every change of state; returns the function that stops it. */
  watch: (listener: (state: LiveState) => void) => () => void;
  dispose: () => void;
};

function isClose(value: unknown): value is { code: number; reason: string } {
  return typeof value === "object" && value !== null && "code" in value && "reason" in value;
}

/** 1 s, 2 s, 4 s… up to 30 s, each with up to a quarter more at random so a restarted server is not hit at once. */
export function backoff(attempt: number): number {
  const base = Math.min(FIRST_RETRY_MS * 2 ** attempt, LONGEST_RETRY_MS);
  return base + Math.floor(Math.random() * base * 0.25);
}

/** The cursor of a subscription event: every root subscription yields an event with `cursor` (docs/live.md). */
function cursorOf(result: ExecutionResult): string | null {
  const event = Object.values(result.data ?? {})[0] as { cursor?: unknown } | null | undefined;
  return typeof event?.cursor === "string" ? event.cursor : null;
}

export function createLive({ token, onRefused }: { token: string; onRefused: () => void }): Live {
  let state: LiveState = "idle";
  let open = 0; // subscriptions the pages hold
  let failures = 0; // consecutive failed connections, for the backoff
  const listeners = new Set<(state: LiveState) => void>();
  const set = (next: LiveState): void => {
    if (next === state) return;
    state = next;
    listeners.forEach((listener) => listener(next));
  };

  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  const socket: Socket = createSocket({
    url: `${scheme}//${window.location.host}/graphql`,
    connectionParams: { Authorization: `Bearer ${token}` },
    lazy: true, // connected only while a page subscribes
    retryAttempts: 0, // retried below, resuming each subscription from its last cursor
    on: {
      connecting: () => set(failures > 0 ? "reconnecting" : "connecting"),
      connected: () => {
        failures = 0;
        set("live");
      },
      closed: (event) => {
        const code = isClose(event) ? event.code : 0;
        if (code === UNAUTHORIZED) {
          onRefused();
        } else if (open > 0 && code !== 1000) {
          failures += 1;
          set("reconnecting");
        } else if (open === 0) {
          set("idle");
        }
      },
    },
  });

  const forward = (request: { query?: string; operationName?: string; variables?: Record<string, unknown> }) => ({
    subscribe(observer: Observer) {
      // The page's own resume point (the `liveCursor` read with its data), until an event brings a later one.
      const given = request.variables?.after;
      let after: string | null = typeof given === "string" ? given : null;
      let stopped = false;
      let dispose: (() => void) | null = null;
      let timer: ReturnType<typeof setTimeout> | undefined;
      open += 1;

      const start = (): void => {
        const variables = after === null ? request.variables : { ...request.variables, after };
        dispose = socket.subscribe<Record<string, unknown>>(
          { query: request.query ?? "", operationName: request.operationName ?? null, variables: variables ?? {} },
          {
            next: (result) => {
              after = cursorOf(result as ExecutionResult) ?? after;
              observer.next(result as ExecutionResult);
            },
            complete: () => {
              if (!stopped) observer.complete();
            },
            error: (error) => {
              if (stopped) return;
              // GraphQL errors (an array) and a refused token (4401: the client signs out) end the subscription.
              if (Array.isArray(error) || (isClose(error) && error.code === UNAUTHORIZED)) {
                observer.error(error);
                return;
              }
              // The socket closed or could not open: reconnect later, resuming after the last event seen.
              set("reconnecting");
              timer = setTimeout(start, backoff(Math.max(failures - 1, 0)));
            },
          },
        );
      };
      start();
      return {
        unsubscribe() {
          stopped = true;
          clearTimeout(timer);
          dispose?.();
          open -= 1;
          if (open === 0) set("idle");
        },
      };
    },
  });

  return {
    exchange: subscriptionExchange({ forwardSubscription: forward }),
    state: () => state,
    watch: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose: () => {
      listeners.clear();
      void socket.dispose();
    },
  };
}
