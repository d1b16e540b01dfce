// The GraphQL client. Exchanges are a list on purpose: the live view (live.ts) adds its subscription exchange
// (graphql-ws over /graphql) after fetchExchange, which passes subscriptions on, without touching the pages.
import { Client, cacheExchange, fetchExchange, mapExchange, type Exchange } from "@urql/core";

export const REFUSED =
  "Your API token was refused: it is wrong, expired or revoked. Sign in again with a valid token.";

export type ClientOptions = {
  token: string;
  /** Called once when the server refuses the token (401): the UI returns to sign-in. */
  onRefused: (notice: string) => void;
  /** More exchanges, placed after fetchExchange (e.g. a subscriptionExchange). */
  extraExchanges?: Exchange[];
};

export function createClient({ token, onRefused, extraExchanges = [] }: ClientOptions): Client {
  const refused = mapExchange({
    onError(error) {
      if (error.response?.status === 401) onRefused(REFUSED);
    },
  });
  return new Client({
    url: "/graphql",
    // POST always: a document in a URL would end up in access logs, and the pages' queries are long.
    preferGetMethod: false,
    // Every page asks for what it shows, once per visit; going back to a page re-asks (data changes).
    requestPolicy: "cache-and-network",
    exchanges: [refused, cacheExchange, fetchExchange, ...extraExchanges],
    fetchOptions: () => ({ headers: { Authorization: `Bearer ${token}` } }),
  });
}
