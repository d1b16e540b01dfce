// The benchmark's peer: @neo4j/graphql under Apollo Server 4 (standalone), serving tracegraph's Neo4j graph
// through typeDefs.graphql. Started and stopped by bench/peer.py; read-only, no authentication of callers.
//
//   NEO4J_URI=bolt://127.0.0.1:7687 PEER_PORT=4000 node server.mjs [PORT]
//
// Environment: NEO4J_URI (required); NEO4J_USER and NEO4J_PASSWORD (basic auth; none when unset, as the test
// Neo4j runs with auth disabled); PEER_PORT or the first argument (the port; 4000 when neither); PEER_NODELAY=1
// sets TCP_NODELAY on the driver's sockets (see below). Prints `peer ready <url> nodelay=<bool>` once listening.

import { readFileSync } from "node:fs";
import net from "node:net";

import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import { GraphQLScalarType } from "graphql";
import neo4j from "neo4j-driver";

const uri = process.env.NEO4J_URI;
if (!uri) {
  console.error("peer: NEO4J_URI is required");
  process.exit(2);
}
const port = Number(process.argv[2] ?? process.env.PEER_PORT ?? 4000);
const nodelay = ["1", "true", "yes"].includes((process.env.PEER_NODELAY ?? "").toLowerCase());

// neo4j-driver 5.x opens its Bolt sockets with `net.connect` (neo4j-driver-bolt-connection's node channel), leaves
// Nagle's algorithm on and offers no option to turn it off. It writes its output 1,400 bytes at a time (its
// Chunker's buffer), so a query of more than that (@neo4j/graphql generates 4-6 KB for bench/peer.py's documents)
// leaves as several small segments: with Nagle on, each waits for the ACK of the one before, which the server
// delays (~40 ms on Linux) as it is still waiting for the rest of the message. PEER_NODELAY=1 wraps `net.connect`
// in this process only, so every socket the driver opens gets `setNoDelay(true)` (Node applies it once the socket
// connects). A benchmark-only patch, reported as a variant next to the library as shipped.
if (nodelay) {
  const connect = net.connect;
  net.connect = function connectWithoutNagle(...args) {
    const socket = connect.apply(this, args);
    socket.setNoDelay(true);
    console.error(`peer: TCP_NODELAY set on a driver socket to ${args[1]}:${args[0]}`);
    return socket;
  };
}

const auth = process.env.NEO4J_USER
  ? neo4j.auth.basic(process.env.NEO4J_USER, process.env.NEO4J_PASSWORD ?? "")
  : neo4j.auth.none();
const driver = neo4j.driver(uri, auth);

// @neo4j/graphql projects DateTime fields through `apoc.date.convertFormat` (APOC is among its documented
// requirements). The project's Neo4j runs without plugins, so without APOC the times are the custom scalar
// `Instant`: the property projected as stored, the driver's DateTime written out as ISO 8601 here.
const apoc = await hasApoc();
let typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
const resolvers = {};
if (apoc) {
  typeDefs = typeDefs.replace(/^scalar Instant$/m, "").replaceAll(/\bInstant\b/g, "DateTime");
} else {
  resolvers.Instant = new GraphQLScalarType({
    name: "Instant",
    serialize: (value) => value.toString(),
  });
}
// Read-only serving as the library's docs set it up: no subscriptions, no authorization (no JWT key, no
// @authentication), deprecated generated fields left out of the schema.
const neoSchema = new Neo4jGraphQL({
  typeDefs,
  resolvers,
  driver,
  features: {
    subscriptions: false,
    excludeDeprecatedFields: {
      mutationOperations: true,
      aggregationFilters: true,
      aggregationFiltersOutsideConnection: true,
      relationshipFilters: true,
      attributeFilters: true,
    },
  },
});

const server = new ApolloServer({ schema: await neoSchema.getSchema() });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port },
  context: async () => ({}),
});

async function shutdown() {
  await server.stop();
  await driver.close();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);

console.log(`peer ready ${url} nodelay=${nodelay} times=${apoc ? "DateTime (APOC)" : "Instant (no APOC)"}`);

async function hasApoc() {
  const { records } = await driver.executeQuery(
    "SHOW FUNCTIONS YIELD name WHERE name = 'apoc.date.convertFormat' RETURN count(*) AS found",
  );
  return records[0].get("found").toNumber() > 0;
}
