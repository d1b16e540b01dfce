// The tutorial's `get artifact`: the build's facts, its history on a timeline, and where it runs now.
import { useQuery } from "@urql/preact";
import { State } from "../components/Badges";
import { Page } from "../components/Status";
import { Time } from "../components/Time";
import { firstLine } from "../format";
import { graphql } from "../gql";
import { href } from "../router";

const ArtifactQuery = graphql(`
  query ArtifactPage($org: String!, $flow: String!, $fingerprint: String!) {
    artifact(org: $org, flow: $flow, fingerprint: $fingerprint) {
      name
      fingerprint
      createdAt
      buildUrl
      commitUrl
      gitCommit
      state
      flow {
        name
      }
      commit {
        sha
        message
        author
        timestamp
      }
      history {
        kind
        at
        description
        environment
        snapshotIndex
      }
      placements {
        environment {
          name
        }
        name
        instances
        fromIndex
        toIndex
        running
        startedAt
      }
    }
  }
`);

export function Artifact({ org, flow, fingerprint }: { org: string; flow: string; fingerprint: string }) {
  const [result] = useQuery({ query: ArtifactQuery, variables: { org, flow, fingerprint } });
  return (
    <Page result={result} title={`artifact ${flow}@${fingerprint.slice(0, 7)}`}>
      {({ artifact }) => {
        const runningNow = artifact.placements.filter((placement) => placement.running);
        return (
          <section aria-labelledby="artifact-heading">
            <h1 id="artifact-heading">{artifact.name}</h1>
            <dl class="facts">
              <dt>Flow</dt>
              <dd>{artifact.flow.name}</dd>
              <dt>Fingerprint</dt>
              <dd>
                <code>{artifact.fingerprint}</code>
              </dd>
              <dt>Created on</dt>
              <dd>
                <Time at={artifact.createdAt} /> · <Time at={artifact.createdAt} relative />
              </dd>
              <dt>Git commit</dt>
              <dd>
                {artifact.gitCommit ? (
                  <>
                    <a href={href("orgs", org, "commits", artifact.gitCommit)} class="commit-link">
                      <code>{artifact.gitCommit}</code>
                    </a>
                    {artifact.commit?.message && (
                      <div>
                        {firstLine(artifact.commit.message)}
                        {artifact.commit.author && <span class="muted"> — {artifact.commit.author}</span>}
                      </div>
                    )}
                  </>
                ) : (
                  <span class="muted">none reported</span>
                )}
              </dd>
              <dt>Commit URL</dt>
              <dd>{artifact.commitUrl ? <a href={artifact.commitUrl} rel="noreferrer">{artifact.commitUrl}</a> : "—"}</dd>
              <dt>Build URL</dt>
              <dd>{artifact.buildUrl ? <a href={artifact.buildUrl} rel="noreferrer">{artifact.buildUrl}</a> : "—"}</dd>
              <dt>State</dt>
              <dd>
                <State state={artifact.state} />
              </dd>
            </dl>
            <h2>Running now</h2>
            {runningNow.length === 0 ? (
              <p class="muted">Not running in any environment.</p>
            ) : (
              <ul class="plain">
                {runningNow.map((placement) => (
                  <li key={placement.environment.name}>
                    <a href={href("orgs", org, "environments", placement.environment.name, "snapshots", placement.fromIndex)}>
                      {placement.environment.name}
                    </a>{" "}
                    since #{placement.fromIndex} (<Time at={placement.startedAt} relative />), {placement.instances} instance(s)
                  </li>
                ))}
              </ul>
            )}
            <h2>History</h2>
            <ol class="history">
              {artifact.history.map((entry, position) => (
                <li key={position} class={`history-${entry.kind.toLowerCase()}`}>
                  <Time at={entry.at} />{" "}
                  {entry.environment && entry.snapshotIndex !== null && entry.snapshotIndex !== undefined ? (
                    <a href={href("orgs", org, "environments", entry.environment, "snapshots", entry.snapshotIndex)}>
                      {entry.description}
                    </a>
                  ) : (
                    entry.description
                  )}
                </li>
              ))}
            </ol>
          </section>
        );
      }}
    </Page>
  );
}
