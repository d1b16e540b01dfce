// A sha or fingerprint prefix: one match jumps to its page (replacing this one in history), several are listed.
import { useQuery } from "@urql/preact";
import { useEffect } from "preact/hooks";
import { NoProvenance } from "../components/Badges";
import { Page } from "../components/Status";
import { firstLine } from "../format";
import { graphql } from "../gql";
import { href, navigate } from "../router";

const SearchQuery = graphql(`
  query Search($org: String!, $prefix: String!) {
    search(org: $org, prefix: $prefix) {
      prefix
      commits {
        sha
        shortSha
        message
        author
      }
      fingerprints {
        fingerprint
        artifacts {
          name
          fingerprint
          flow {
            name
          }
        }
        placements {
          environment {
            name
          }
          name
          fromIndex
          toIndex
          running
        }
      }
    }
  }
`);

// `search` answers at most 20 of each (schema/schema.graphql): say so rather than cap silently.
const SEARCH_LIMIT = 20;

type Found = { commits: { sha: string }[]; fingerprints: { fingerprint: string; artifacts: { fingerprint: string; flow: { name: string } }[] }[] };

function onlyTarget(org: string, found: Found): string | null {
  const [commit] = found.commits;
  const [print] = found.fingerprints;
  if (found.commits.length === 1 && found.fingerprints.length === 0 && commit) return href("orgs", org, "commits", commit.sha);
  if (found.commits.length === 0 && found.fingerprints.length === 1 && print?.artifacts.length === 1) {
    const [artifact] = print.artifacts;
    if (artifact) return href("orgs", org, "artifacts", artifact.flow.name, artifact.fingerprint);
  }
  return null;
}

export function Search({ org, prefix }: { org: string; prefix: string }) {
  const [result] = useQuery({ query: SearchQuery, variables: { org, prefix } });
  const target = result.data ? onlyTarget(org, result.data.search) : null;
  useEffect(() => {
    if (target) navigate(target, { replace: true });
  }, [target]);
  if (target) return null;
  return (
    <Page result={result} title={`search ${prefix}`}>
      {({ search }) => (
        <section aria-labelledby="search-heading">
          <h1 id="search-heading">
            Matches for <code>{search.prefix}</code>
          </h1>
          {search.commits.length === 0 && search.fingerprints.length === 0 && <p>No commit or fingerprint starts with it.</p>}
          {(search.commits.length >= SEARCH_LIMIT || search.fingerprints.length >= SEARCH_LIMIT) && (
            <p class="notice">The search answers at most {SEARCH_LIMIT} commits and {SEARCH_LIMIT} fingerprints: type more characters to see the rest.</p>
          )}
          {search.commits.length > 0 && (
            <>
              <h2>Commits: {search.commits.length}</h2>
              <ul class="plain">
                {search.commits.map((commit) => (
                  <li key={commit.sha}>
                    <a href={href("orgs", org, "commits", commit.sha)}>
                      <code>{commit.shortSha}</code>
                    </a>{" "}
                    {firstLine(commit.message)} {commit.author && <span class="muted">— {commit.author}</span>}
                  </li>
                ))}
              </ul>
            </>
          )}
          {search.fingerprints.length > 0 && (
            <>
              <h2>Fingerprints: {search.fingerprints.length}</h2>
              <ul class="cards">
                {search.fingerprints.map((match) => (
                  <li key={match.fingerprint}>
                    <code>{match.fingerprint}</code>
                    <div>
                      {match.artifacts.length === 0 ? (
                        <NoProvenance />
                      ) : (
                        match.artifacts.map((artifact) => (
                          <a key={artifact.flow.name} href={href("orgs", org, "artifacts", artifact.flow.name, artifact.fingerprint)}>
                            {artifact.name} ({artifact.flow.name}){" "}
                          </a>
                        ))
                      )}
                    </div>
                    <ul class="plain small">
                      {match.placements.map((placement) => (
                        <li key={`${placement.environment.name}/${placement.fromIndex}`}>
                          {placement.running ? "Runs" : "Ran"} in{" "}
                          <a href={href("orgs", org, "environments", placement.environment.name, "snapshots", placement.fromIndex)}>
                            {placement.environment.name}#{placement.fromIndex}
                          </a>
                          {placement.toIndex ? ` to #${placement.toIndex}` : " onwards"} as {placement.name}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
    </Page>
  );
}
