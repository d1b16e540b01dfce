// One snapshot: its running set (paged by the API in name order), provenance and compliance, and "diff with".
import { useQuery } from "@urql/preact";
import { useState } from "preact/hooks";
import { Compliance } from "../components/Badges";
import { Provenance } from "../components/ArtifactCell";
import { Page } from "../components/Status";
import { Time } from "../components/Time";
import { graphql } from "../gql";
import { href, navigate, withQuery } from "../router";

const PAGE = 100;

const SnapshotQuery = graphql(`
  query SnapshotPage($org: String!, $env: String!, $index: Int!, $first: Int, $after: String, $last: Int, $before: String) {
    environment(org: $org, name: $env) {
      name
      latestIndex
      snapshot(index: $index) {
        index
        reportedAt
        compliant
        policyEvaluation {
          compliant
          nonCompliantTotal
          policies {
            name
            version
          }
        }
        running(first: $first, after: $after, last: $last, before: $before) {
          totalCount
          pageInfo {
            hasNextPage
            hasPreviousPage
            startCursor
            endCursor
          }
          nodes {
            name
            fingerprint
            instances
            sinceIndex
            since
            artifacts {
              name
              fingerprint
              state
              buildUrl
              flow {
                name
              }
              commit {
                sha
                shortSha
                message
                author
                url
              }
            }
          }
        }
      }
    }
    environments(org: $org, first: 100) {
      nodes {
        name
      }
    }
  }
`);

type Sort = "name" | "flow" | "since";

export function Snapshot({ org, env, index, after, before }: { org: string; env: string; index: number; after: string | null; before: string | null }) {
  const paging = before ? { last: PAGE, before } : { first: PAGE, after };
  const [result] = useQuery({ query: SnapshotQuery, variables: { org, env, index, ...paging } });
  const [sort, setSort] = useState<Sort>("name");
  const base = href("orgs", org, "environments", env, "snapshots", index);
  return (
    <Page result={result} title={`${env}#${index}`}>
      {(data) => {
        const snapshot = data.environment.snapshot;
        const running = snapshot.running;
        const rows = [...running.nodes];
        // The API pages the running set in name order only; flow and since sort the page shown (all of it up to
        // 100 running fingerprints).
        if (sort === "flow") rows.sort((a, b) => (a.artifacts[0]?.flow.name ?? "~").localeCompare(b.artifacts[0]?.flow.name ?? "~"));
        if (sort === "since") rows.sort((a, b) => b.sinceIndex - a.sinceIndex);
        const others = data.environments.nodes.map((item) => item.name).filter((name) => name !== env);
        return (
          <section aria-labelledby="snapshot-heading">
            <h1 id="snapshot-heading">
              {env}#{snapshot.index}
            </h1>
            <p>
              Reported <Time at={snapshot.reportedAt} />. <Compliance compliant={snapshot.compliant} />
              {snapshot.policyEvaluation && (
                <span class="muted">
                  {" "}
                  against {snapshot.policyEvaluation.policies.map((policy) => `${policy.name} v${policy.version}`).join(", ")}
                  {snapshot.policyEvaluation.nonCompliantTotal > 0 && `: ${snapshot.policyEvaluation.nonCompliantTotal} artifact(s) fail`}
                </span>
              )}
              {snapshot.index < data.environment.latestIndex && (
                <span class="muted"> · latest is #{data.environment.latestIndex}</span>
              )}
            </p>
            <nav aria-label="Snapshots and diffs" class="diff-with">
              <a href={href("orgs", org, "environments", env)}>Log</a>
              {snapshot.index > 1 && (
                <>
                  <a href={href("orgs", org, "environments", env, "snapshots", snapshot.index - 1)}>Previous snapshot</a>
                  <a href={withQuery(href("orgs", org, "diff"), { from: `${env}#${snapshot.index - 1}`, to: `${env}#${snapshot.index}` })}>
                    Diff with the previous snapshot
                  </a>
                </>
              )}
              {others.length > 0 && (
                <form
                  onSubmit={(event) => {
                    event.preventDefault();
                    const other = String(new FormData(event.currentTarget).get("other") ?? "");
                    navigate(withQuery(href("orgs", org, "diff"), { from: other, to: `${env}#${snapshot.index}` }));
                  }}
                >
                  <label for="other">Diff with the latest of</label>
                  <select id="other" name="other">
                    {others.map((name) => (
                      <option key={name} value={name}>
                        {name}
                      </option>
                    ))}
                  </select>
                  <button type="submit">Diff</button>
                </form>
              )}
            </nav>
            <h2 id="running-heading">Running: {running.totalCount ?? running.nodes.length} fingerprint(s)</h2>
            <div class="sort" role="group" aria-label="Sort this page">
              <span>Sort by</span>
              {(["name", "flow", "since"] as Sort[]).map((key) => (
                <button type="button" key={key} aria-pressed={sort === key} onClick={() => setSort(key)}>
                  {key}
                </button>
              ))}
            </div>
            <div class="scroll">
              <table aria-labelledby="running-heading">
                <thead>
                  <tr>
                    <th scope="col" aria-sort={sort === "name" ? "ascending" : undefined}>Name</th>
                    <th scope="col" class="num">Instances</th>
                    <th scope="col" aria-sort={sort === "since" ? "descending" : undefined}>Since</th>
                    <th scope="col" aria-sort={sort === "flow" ? "ascending" : undefined}>Provenance: flow, state, commit</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((item) => (
                    <tr key={item.fingerprint}>
                      <th scope="row">
                        <span class="name">{item.name}</span>
                        <div class="small muted">
                          <code>{item.fingerprint.slice(0, 12)}</code>
                        </div>
                      </th>
                      <td class="num">{item.instances}</td>
                      <td>
                        <a href={href("orgs", org, "environments", env, "snapshots", item.sinceIndex)}>#{item.sinceIndex}</a>{" "}
                        <span class="small muted">
                          <Time at={item.since} relative />
                        </span>
                      </td>
                      <td>
                        <Provenance org={org} fingerprint={item.fingerprint} builds={item.artifacts} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <nav aria-label="Running set pages" class="pager">
              {running.pageInfo.hasPreviousPage && running.pageInfo.startCursor && (after || before) && (
                <a href={withQuery(base, { before: running.pageInfo.startCursor })}>Previous page</a>
              )}
              {running.pageInfo.hasNextPage && running.pageInfo.endCursor && (
                <a href={withQuery(base, { after: running.pageInfo.endCursor })}>Next page</a>
              )}
            </nav>
          </section>
        );
      }}
    </Page>
  );
}
