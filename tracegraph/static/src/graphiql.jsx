// Bundled at build time (npm run build) into tracegraph/static/graphiql/, served by the app: no CDN, works offline.
import React from "react";
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import "graphiql/style.css";

const root = document.getElementById("graphiql");
const endpoint = root.dataset.endpoint || "/graphql";
const params = new URLSearchParams(window.location.search);
const fetcher = createGraphiQLFetcher({ url: new URL(endpoint, window.location.href).toString() });

function onEditQuery(query) {
  // Keep the address shareable: the query travels in ?query=, as GraphiQL's own examples do.
  const next = new URLSearchParams(window.location.search);
  next.set("query", query);
  window.history.replaceState(null, "", `${window.location.pathname}?${next}`);
}

createRoot(root).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: params.get("query") || undefined,
    initialQuery: params.get("query") || undefined,
    initialVariables: params.get("variables") || undefined,
    onEditQuery,
    defaultEditorToolsVisibility: true,
    shouldPersistHeaders: false,
  }),
);
