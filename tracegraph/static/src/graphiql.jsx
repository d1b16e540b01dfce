// Bundled at build time (npm run build) into tracegraph/static/graphiql/, served by the app: no CDN, works offline.
import React from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { explorerPlugin } from "@graphiql/plugin-explorer";
import "graphiql/style.css";
import "@graphiql/plugin-explorer/style.css";

// The tutorial's incident question (README), against `tracegraph serve --demo`'s data.
const DEFAULT_QUERY = `# Which commits changed what ran in aws-prod at snapshot 177?
# Paste your token into the Headers tab below, then run (Ctrl-Enter).
query Incident($org: String!, $env: String!, $index: Int!) {
  environment(org: $org, name: $env) {
    name
    type
    snapshot(index: $index) {
      index
      reportedAt
      events(first: 100) {
        totalCount
        nodes {
          type
          description
          fingerprint
          name
          artifacts { name fingerprint buildUrl flow { name } commit { sha url message author timestamp } }
        }
      }
      running(first: 100) {
        totalCount
        nodes { fingerprint name instances artifacts { flow { name } commit { sha } } }
      }
    }
  }
}
`;
const DEFAULT_VARIABLES = JSON.stringify({ org: "cyber-dojo", env: "aws-prod", index: 177 }, null, 2);
const TOKEN_PLACEHOLDER = "Bearer <token>";
const DEFAULT_HEADERS = JSON.stringify({ Authorization: TOKEN_PLACEHOLDER }, null, 2);

const root = document.getElementById("graphiql");
const endpoint = root.dataset.endpoint || "/graphql";
const params = new URLSearchParams(window.location.search);
const url = new URL(endpoint, window.location.href);
// Subscriptions go over a WebSocket to the same /graphql (graphql-transport-ws, through graphql-ws): the toolkit
// opens one per subscription and sends the Headers tab as the connection_init payload, which is where the server
// reads the token (a browser cannot set headers on a WebSocket upgrade).
const subscriptionUrl = new URL(url);
subscriptionUrl.protocol = url.protocol === "https:" ? "wss:" : "ws:";
const send = createGraphiQLFetcher({ url: url.toString(), subscriptionUrl: subscriptionUrl.toString() });

// The untouched header template is no token: leave it out, so the schema (public) loads before one is typed.
function fetcher(graphQLParams, options) {
  const headers = { ...(options?.headers ?? {}) };
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === "authorization" && String(headers[name]).trim() === TOKEN_PLACEHOLDER) {
      delete headers[name];
    }
  }
  return send(graphQLParams, { ...options, headers });
}

function onEditQuery(query) {
  // Keep the address shareable: the query travels in ?query=, as GraphiQL's own examples do.
  const next = new URLSearchParams(window.location.search);
  next.set("query", query);
  window.history.replaceState(null, "", `${window.location.pathname}?${next}`);
}

const explorer = explorerPlugin();

// A first visit (no tabs kept in this browser) opens on the Incident query with the demo's variables; later visits
// find their own tabs. A ?query= address (a shared link) wins either way.
function firstVisit() {
  try {
    return window.localStorage.getItem("graphiql:tabState") === null;
  } catch {
    return true; // storage blocked: nothing was kept either
  }
}
const shared = params.get("query");
const fresh = !shared && firstVisit();

createRoot(root).render(
  React.createElement(GraphiQL, {
    fetcher,
    plugins: [explorer],
    defaultQuery: DEFAULT_QUERY,
    query: shared || (fresh ? DEFAULT_QUERY : undefined),
    variables: params.get("variables") || (fresh ? DEFAULT_VARIABLES : undefined),
    defaultHeaders: DEFAULT_HEADERS,
    onEditQuery,
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
  }),
);
