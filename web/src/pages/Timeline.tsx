// An environment's log, newest first: snapshots with their events and deployments. Filters and the page live in
// the URL (`?interval=176..177&flow=creator`), so a link shows the same log. No compliance per snapshot here: it
// costs a store read per snapshot (the snapshot page shows it); the events' findings flag what went wrong.
import { useQuery } from "@urql/preact";
import { Fragment } from "preact";
import { Finding, NoProvenance } from "../components/Badges";
import { LiveStatus, useLiveUpdates } from "../components/Live";
import { Page } from "../components/Status";
import { Time } from "../components/Time";
import { plural } from "../format";
import { graphql } from "../gql";
import { href, navigate, withQuery } from "../router";

const PAGE = 15;
const EVENTS = 100;

const TimelineQuery = graphql(`
  query Timeline(
    $org: String!
    $env: String!
    $first: Int
    $after: String
    $last: Int
    $before: String
    $interval: String
    $since: DateTime
    $until: DateTime
    $flow: String
    $events: Int!
  ) {
    liveCursor
    environment(org: $org, name: $env) {
      name
      latestIndex
      snapshots(
        first: $first
        after: $after
        last: $last
        before: $before
        interval: $interval
        since: $since
        until: $until
        flow: $flow
      ) {
        totalCount
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        nodes {
          index
          reportedAt
          events(first: $events) {
            totalCount
            nodes {
              type
              description
              name
              fingerprint
              findings
              artifacts {
                fingerprint
                flow {
                  name
                }
                commit {
                  sha
                  shortSha
                }
              }
              deployments {
                number
                flow {
                  name
                }
              }
            }
          }
        }
      }
    }
  }
`);

// `after`: the page's `liveCursor` (useLiveUpdates), then after a reconnect the last cursor seen (live.ts).
const TimelineLive = graphql(`
  subscription TimelineLive($org: String!, $env: String!, $after: ID) {
    snapshotReported(org: $org, environment: $env, after: $after) {
      cursor
      snapshot {
        index
      }
    }
  }
`);

export type TimelineFilters = {
  interval: string;
  flow: string;
  since: string;
  until: string;
  after: string | null;
  before: string | null;
};

/** The log follows new snapshots only when it shows the newest: not on an older page, nor with an end in the past
 * (`until`, or an interval other than `N..`). */
export function showsTheNewest(filters: TimelineFilters): boolean {
  const openInterval = !filters.interval || /^\d+\.\.$/.test(filters.interval.trim());
  return !filters.after && !filters.before && !filters.until && openInterval;
}

/** datetime-local values are the reader's local time; the API takes ISO 8601 with a zone. */
function isoOrNull(local: string): string | null {
  if (!local) return null;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function FilterForm({ base, filters }: { base: string; filters: TimelineFilters }) {
  return (
    <form
      class="filters"
      role="search"
      aria-label="Filter the log"
      onSubmit={(event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        const value = (name: string): string => String(form.get(name) ?? "").trim();
        navigate(withQuery(base, { interval: value("interval"), flow: value("flow"), since: value("since"), until: value("until") }));
      }}
    >
      <div>
        <label for="interval">Snapshot interval</label>
        <input id="interval" name="interval" placeholder="176..177" value={filters.interval} aria-describedby="interval-help" />
        <small id="interval-help">N, N..M, N.. or ..M</small>
      </div>
      <div>
        <label for="flow">Flow</label>
        <input id="flow" name="flow" value={filters.flow} />
      </div>
      <div>
        <label for="since">From</label>
        <input id="since" name="since" type="datetime-local" step="1" value={filters.since} />
      </div>
      <div>
        <label for="until">Until</label>
        <input id="until" name="until" type="datetime-local" step="1" value={filters.until} />
      </div>
      <div class="actions">
        <button type="submit">Show</button>
        <a href={base}>Clear</a>
      </div>
    </form>
  );
}

export function Timeline({ org, env, filters }: { org: string; env: string; filters: TimelineFilters }) {
  const paging = filters.before ? { last: PAGE, before: filters.before } : { first: PAGE, after: filters.after };
  const [result, reexecute] = useQuery({
    query: TimelineQuery,
    variables: {
      org,
      env,
      ...paging,
      interval: filters.interval || null,
      flow: filters.flow || null,
      since: isoOrNull(filters.since),
      until: isoOrNull(filters.until),
      events: EVENTS,
    },
  });
  const updates = useLiveUpdates({
    query: TimelineLive,
    variables: { org, env },
    pause: !showsTheNewest(filters),
    cursor: result.data?.liveCursor,
    fetching: result.fetching,
    refresh: () => reexecute({ requestPolicy: "network-only" }),
    announce: (event) => `New snapshot ${env}#${event.snapshotReported.snapshot.index}`,
  });
  const base = href("orgs", org, "environments", env);
  const kept = { interval: filters.interval, flow: filters.flow, since: filters.since, until: filters.until };
  return (
    <Page result={result} title={`${env} log`}>
      {(data) => {
        const snapshots = data.environment.snapshots;
        return (
          <section aria-labelledby="timeline-heading">
            <h1 id="timeline-heading">{data.environment.name}: log</h1>
            <LiveStatus updates={updates} pausedWhy="this log ends in the past (clear the filters for the newest)" />
            <p class="muted">
              Latest snapshot{" "}
              <a href={href("orgs", org, "environments", env, "snapshots", data.environment.latestIndex)}>
                #{data.environment.latestIndex}
              </a>
              . {plural(snapshots.totalCount ?? snapshots.nodes.length, "snapshot")} match, newest first.
            </p>
            <FilterForm base={base} filters={filters} />
            {snapshots.nodes.length === 0 && <p>No snapshot matches.</p>}
            <ol class="timeline" aria-label="Snapshots">
              {snapshots.nodes.map((snapshot) => (
                <li key={snapshot.index}>
                  <h2>
                    <a href={href("orgs", org, "environments", env, "snapshots", snapshot.index)}>
                      {env}#{snapshot.index}
                    </a>{" "}
                    <Time at={snapshot.reportedAt} />
                  </h2>
                  <ul class="events">
                    {snapshot.events.nodes.map((event) => (
                      <li key={event.fingerprint} class={`event ${event.type.toLowerCase()}`}>
                        <p>
                          <span class="event-type">{event.type.toLowerCase()}</span>{" "}
                          {event.artifacts.length > 0 ? (
                            event.artifacts.map((artifact) => (
                              <a
                                key={artifact.flow.name}
                                class="artifact-link"
                                href={href("orgs", org, "artifacts", artifact.flow.name, artifact.fingerprint)}
                              >
                                {event.name}
                              </a>
                            ))
                          ) : (
                            <>
                              <a href={withQuery(href("orgs", org, "search"), { q: event.fingerprint })}>{event.name}</a>{" "}
                              <NoProvenance />
                            </>
                          )}
                          {event.findings
                            .filter((kind) => kind !== "WITHOUT_PROVENANCE")
                            .map((kind) => (
                              <span key={kind}>
                                {" "}
                                <Finding kind={kind} />
                              </span>
                            ))}
                        </p>
                        <dl class="facts compact">
                          <dt>Description</dt>
                          <dd>{event.description}</dd>
                          <dt>Fingerprint</dt>
                          <dd>
                            <code>{event.fingerprint}</code>
                          </dd>
                          {event.artifacts.map((artifact) => (
                            <Fragment key={artifact.flow.name}>
                              <dt>Flow</dt>
                              <dd>
                                {artifact.flow.name}
                                {artifact.commit && (
                                  <>
                                    {" "}
                                    · commit <a href={href("orgs", org, "commits", artifact.commit.sha)}>{artifact.commit.shortSha}</a>
                                  </>
                                )}
                              </dd>
                            </Fragment>
                          ))}
                          {event.deployments.length > 0 && (
                            <>
                              <dt>Deployments</dt>
                              <dd>{event.deployments.map((deployment) => `${deployment.flow.name} #${deployment.number}`).join(", ")}</dd>
                            </>
                          )}
                        </dl>
                      </li>
                    ))}
                  </ul>
                  {(snapshot.events.totalCount ?? 0) > snapshot.events.nodes.length && (
                    <p class="notice">
                      Showing the first {snapshot.events.nodes.length} of {snapshot.events.totalCount} events of this
                      snapshot: narrow the log with a flow, or open{" "}
                      <a href={href("orgs", org, "environments", env, "snapshots", snapshot.index)}>the snapshot</a>.
                    </p>
                  )}
                </li>
              ))}
            </ol>
            <nav aria-label="Log pages" class="pager">
              {snapshots.pageInfo.hasPreviousPage && snapshots.pageInfo.startCursor && (filters.after || filters.before) && (
                <a href={withQuery(base, { ...kept, before: snapshots.pageInfo.startCursor })} rel="prev">
                  Newer snapshots
                </a>
              )}
              {snapshots.pageInfo.hasNextPage && snapshots.pageInfo.endCursor && (
                <a href={withQuery(base, { ...kept, after: snapshots.pageInfo.endCursor })} rel="next">
                  Older snapshots
                </a>
              )}
            </nav>
          </section>
        );
      }}
    </Page>
  );
}
