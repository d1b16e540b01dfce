// Where a change runs now and ran before: artifacts built from this commit or from a descendant of it.
import { useQuery } from "@urql/preact";
import { State } from "../components/Badges";
import { Page } from "../components/Status";
import { Time } from "../components/Time";
import { graphql } from "../gql";
import { href } from "../router";

const CommitQuery = graphql(`
  query CommitPage($org: String!, $sha: String!) {
    commit(org: $org, sha: $sha) {
      sha
      shortSha
      message
      author
      timestamp
      branch
      url
      parents
      placementsComplete
      undecidedCommits
      runningIn {
        ...Placed
      }
      ranIn {
        ...Placed
      }
      artifacts {
        name
        fingerprint
        createdAt
        state
        flow {
          name
        }
      }
    }
  }

  fragment Placed on CommitPlacement {
    current
    fromIndex
    toIndex
    distance
    environment {
      name
    }
    artifact {
      name
      fingerprint
      flow {
        name
      }
      commit {
        sha
        shortSha
      }
    }
  }
`);

function distanceText(distance: number): string {
  if (distance === 0) return "built from this commit";
  return `built from a commit ${distance} commit${distance === 1 ? "" : "s"} ahead (a descendant)`;
}

type Placed = {
  current: boolean;
  fromIndex: number;
  toIndex?: number | null;
  distance: number;
  environment: { name: string };
  artifact: { name: string; fingerprint: string; flow: { name: string }; commit?: { sha: string; shortSha: string } | null };
};

function Placements({ org, items, now }: { org: string; items: Placed[]; now: boolean }) {
  if (items.length === 0) return <p class="muted">{now ? "Runs nowhere now." : "Ran nowhere else before."}</p>;
  return (
    <div class="scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">Environment</th>
            <th scope="col">Snapshots</th>
            <th scope="col">Artifact</th>
            <th scope="col">Distance</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={`${item.environment.name}/${item.artifact.fingerprint}/${item.fromIndex}`}>
              <th scope="row">
                <a href={href("orgs", org, "environments", item.environment.name)}>{item.environment.name}</a>
              </th>
              <td>
                <a href={href("orgs", org, "environments", item.environment.name, "snapshots", item.fromIndex)}>#{item.fromIndex}</a>
                {item.toIndex ? ` to #${item.toIndex}` : " onwards"}
              </td>
              <td>
                <a href={href("orgs", org, "artifacts", item.artifact.flow.name, item.artifact.fingerprint)}>{item.artifact.name}</a>
              </td>
              <td>
                {item.distance}{" "}
                <span class="small muted">
                  {distanceText(item.distance)}
                  {item.distance > 0 && item.artifact.commit && (
                    <>
                      : <a href={href("orgs", org, "commits", item.artifact.commit.sha)}>{item.artifact.commit.shortSha}</a>
                    </>
                  )}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Commit({ org, sha }: { org: string; sha: string }) {
  const [result] = useQuery({ query: CommitQuery, variables: { org, sha } });
  return (
    <Page result={result} title={`commit ${sha.slice(0, 7)}`}>
      {({ commit }) => {
        const [subject, ...body] = commit.message.split("\n");
        return (
          <section aria-labelledby="commit-heading">
            <h1 id="commit-heading">{subject || `Commit ${commit.shortSha}`}</h1>
            {body.join("\n").trim() && <pre class="message">{body.join("\n").trim()}</pre>}
            <dl class="facts">
              <dt>Sha</dt>
              <dd>
                <code>{commit.sha}</code>
                {commit.url && (
                  <>
                    {" "}
                    <a href={commit.url} rel="noreferrer">
                      on its host
                    </a>
                  </>
                )}
              </dd>
              <dt>Author</dt>
              <dd class="author">{commit.author ?? <span class="muted">not reported</span>}</dd>
              {commit.timestamp && (
                <>
                  <dt>Authored</dt>
                  <dd>
                    <Time at={commit.timestamp} />
                  </dd>
                </>
              )}
              {commit.branch && (
                <>
                  <dt>Branch</dt>
                  <dd>{commit.branch}</dd>
                </>
              )}
              <dt>Parents</dt>
              <dd>
                {commit.parents.length === 0
                  ? "none reported"
                  : commit.parents.map((parent) => (
                      <a key={parent} href={href("orgs", org, "commits", parent)}>
                        <code>{parent.slice(0, 7)}</code>{" "}
                      </a>
                    ))}
              </dd>
            </dl>
            <h2>Where this change runs now</h2>
            <p class="muted small">
              Distance counts the commits between this one and the running artifact's commit, as{" "}
              <code>git rev-list --count {commit.shortSha}..ARTIFACT_COMMIT</code> does: 0 is this very commit; more means a
              later commit that includes this change.
            </p>
            {!commit.placementsComplete && (
              <p class="notice" role="note">
                Incomplete: the history of {commit.undecidedCommits.length} commit(s) that run or ran has gaps, so they may
                carry this change too ({commit.undecidedCommits.map((item) => item.slice(0, 7)).join(", ")}). Report their
                history with <code>tracegraph report commits</code>.
              </p>
            )}
            <Placements org={org} items={commit.runningIn} now />
            <h2>Where it ran before</h2>
            <Placements org={org} items={commit.ranIn} now={false} />
            <h2>Artifacts built from it</h2>
            {commit.artifacts.length === 0 ? (
              <p class="muted">None.</p>
            ) : (
              <ul class="plain">
                {commit.artifacts.map((artifact) => (
                  <li key={`${artifact.flow.name}/${artifact.fingerprint}`}>
                    <a href={href("orgs", org, "artifacts", artifact.flow.name, artifact.fingerprint)}>{artifact.name}</a>{" "}
                    <span class="muted small">
                      {artifact.flow.name}, <Time at={artifact.createdAt} />
                    </span>{" "}
                    <State state={artifact.state} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      }}
    </Page>
  );
}
