// The overview: every environment at a glance, in one request (the latest snapshot through `snapshots(first: 1)`,
// which is empty rather than an error for an environment that never reported). An org the token may not read is
// NOT_FOUND from `environments` itself, worded as a missing one.
import { useQuery } from "@urql/preact";
import { Compliance } from "../components/Badges";
import { LiveStatus, useLiveUpdates } from "../components/Live";
import { Page } from "../components/Status";
import { Time } from "../components/Time";
import { graphql } from "../gql";
import { href, withQuery } from "../router";

const EnvironmentsQuery = graphql(`
  query Environments($org: String!, $after: String) {
    liveCursor
    environments(org: $org, first: 100, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        name
        type
        latestIndex
        lastChangedAt
        lastReportedAt
        snapshots(first: 1) {
          nodes {
            index
            compliant
            running(first: 1) {
              totalCount
            }
          }
        }
        findings(kinds: [WITHOUT_PROVENANCE, NON_COMPLIANT, ROLL_BACK]) {
          withoutProvenance {
            fingerprint
          }
          nonCompliant {
            reasons
          }
          rollBacks {
            basis
          }
        }
      }
    }
  }
`);

// One subscription for every environment of the org (not one per environment: the per-token limit).
const EnvironmentsLive = graphql(`
  subscription EnvironmentsLive($org: String!, $after: ID) {
    snapshotReported(org: $org, after: $after) {
      cursor
      snapshot {
        index
        environment {
          name
        }
      }
    }
  }
`);

function Count({ count, label }: { count: number; label: string }) {
  return <td class={count > 0 ? "num bad-text" : "num"} aria-label={`${count} ${label}`}>{count}</td>;
}

export function Environments({ org, after }: { org: string; after: string | null }) {
  const [result, reexecute] = useQuery({ query: EnvironmentsQuery, variables: { org, after } });
  const updates = useLiveUpdates({
    query: EnvironmentsLive,
    variables: { org },
    pause: false,
    cursor: result.data?.liveCursor,
    fetching: result.fetching,
    refresh: () => reexecute({ requestPolicy: "network-only" }),
    announce: ({ snapshotReported: { snapshot } }) => `New snapshot ${snapshot.environment.name}#${snapshot.index}`,
  });
  return (
    <Page result={result} title={`${org} environments`}>
      {(data) => (
        <section aria-labelledby="environments-heading">
          <h1 id="environments-heading">Environments of {org}</h1>
          <LiveStatus updates={updates} />
          <p class="muted">
            {data.environments.totalCount ?? data.environments.nodes.length} environment(s). Findings are judged
            now, on each latest snapshot.
          </p>
          <div class="scroll">
            <table>
              <caption class="visually-hidden">Environments, their latest snapshot and findings</caption>
              <thead>
                <tr>
                  <th scope="col">Environment</th>
                  <th scope="col">Latest snapshot</th>
                  <th scope="col">Last changed</th>
                  <th scope="col" class="num">Artifacts running</th>
                  <th scope="col">Compliance</th>
                  <th scope="col" class="num">No provenance</th>
                  <th scope="col" class="num">Non-compliant</th>
                  <th scope="col" class="num">Roll-backs</th>
                </tr>
              </thead>
              <tbody>
                {data.environments.nodes.map((environment) => {
                  const latest = environment.snapshots.nodes[0];
                  const findings = environment.findings;
                  return (
                    <tr key={environment.name}>
                      <th scope="row">
                        <a href={href("orgs", org, "environments", environment.name)}>{environment.name}</a>{" "}
                        <span class="muted small">{environment.type}</span>
                      </th>
                      <td>
                        {latest ? (
                          <a
                            href={href("orgs", org, "environments", environment.name, "snapshots", latest.index)}
                            aria-label={`${environment.name} snapshot ${latest.index}`}
                          >
                            #{latest.index}
                          </a>
                        ) : (
                          <span class="muted">never reported</span>
                        )}
                      </td>
                      <td>{environment.lastChangedAt ? <Time at={environment.lastChangedAt} relative /> : "—"}</td>
                      <td class="num">{latest ? latest.running.totalCount : 0}</td>
                      <td>{latest ? <Compliance compliant={latest.compliant} /> : "—"}</td>
                      <Count count={findings.withoutProvenance.length} label="running without provenance" />
                      <Count count={findings.nonCompliant.length} label="non-compliant" />
                      <Count count={findings.rollBacks.length} label="roll-backs" />
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {data.environments.pageInfo.hasNextPage && data.environments.pageInfo.endCursor && (
            <p>
              <a href={withQuery(href("orgs", org, "environments"), { after: data.environments.pageInfo.endCursor })}>
                More environments
              </a>
            </p>
          )}
        </section>
      )}
    </Page>
  );
}
