"""Live updates: GraphQL subscriptions over `graphql-transport-ws` on `/graphql`, fed by the store's change feed.

- `follower` — one per server process: reads the change feed (`changes_after`) every poll interval, or at once
  after a local report, and fans changes out to bounded per-subscriber queues.
- `stream` — one subscriber's changes: its backlog from the store when it resumes `after` an id, then the live
  fan-out, without gap or duplicate.
- `connection` — one WebSocket: its token checked on connect and again periodically and before each event, the
  subscription limits, the idle timeout, the close codes.
- `arrivals` — when a commit (or a descendant) becomes present in an environment: the rule behind `commitArrived`.
"""
