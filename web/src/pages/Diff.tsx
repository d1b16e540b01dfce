// Two running sets compared: `from` and `to` are snapshot expressions (`aws-beta`, `aws-prod#176`, `aws-prod~1`).
import { useQuery } from "@urql/preact";
import { Provenance } from "../components/ArtifactCell";
import { Page } from "../components/Status";
import { graphql } from "../gql";
import { href } from "../router";

const DiffQuery = graphql(`
  query Diff($org: String!, $from: String!, $to: String!) {
    diff(org: $org, from: $from, to: $to) {
      from {
        environment {
          name
        }
        snapshot {
          index
        }
      }
      to {
        environment {
          name
        }
        snapshot {
          index
        }
      }
      onlyInFrom {
        ...DiffItem
      }
      onlyInTo {
        ...DiffItem
      }
      scaled {
        before {
          name
          fingerprint
          instances
        }
        after {
          instances
        }
      }
      unchanged {
        name
        fingerprint
        instances
      }
    }
  }

  fragment DiffItem on RunningArtifact {
    name
    fingerprint
    instances
    artifacts {
      name
      fingerprint
      state
      flow {
        name
      }
      commit {
        sha
        shortSha
        message
        author
      }
    }
  }
`);

type Side = { environment: { name: string }; snapshot?: { index: number } | null };

function label(side: Side): string {
  return side.snapshot ? `${side.environment.name}#${side.snapshot.index}` : `${side.environment.name} (no snapshot)`;
}

export function Diff({ org, from, to }: { org: string; from: string; to: string }) {
  const [result] = useQuery({ query: DiffQuery, variables: { org, from, to } });
  return (
    <Page result={result} title={`${from} vs ${to}`}>
      {(data) => {
        const diff = data.diff;
        const sides: [string, typeof diff.onlyInFrom][] = [
          [`Only in ${label(diff.from)}`, diff.onlyInFrom],
          [`Only in ${label(diff.to)}`, diff.onlyInTo],
        ];
        return (
          <section aria-labelledby="diff-heading">
            <h1 id="diff-heading">
              Diff: {label(diff.from)} against {label(diff.to)}
            </h1>
            {sides.map(([title, items], position) => (
              <section key={title} aria-labelledby={`side-${position}`}>
                <h2 id={`side-${position}`}>
                  {title}: {items.length}
                </h2>
                {items.length === 0 ? (
                  <p class="muted">Nothing.</p>
                ) : (
                  <ul class="cards">
                    {items.map((item) => (
                      <li key={item.fingerprint}>
                        <strong class="name">{item.name}</strong> <span class="muted small">× {item.instances}</span>
                        <div class="small muted">
                          <code>{item.fingerprint}</code>
                        </div>
                        <Provenance org={org} fingerprint={item.fingerprint} builds={item.artifacts} />
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            ))}
            <section aria-labelledby="scaled-heading">
              <h2 id="scaled-heading">Scaled: {diff.scaled.length}</h2>
              <ul class="plain">
                {diff.scaled.map((item) => (
                  <li key={item.before.fingerprint}>
                    {item.before.name}: {item.before.instances} → {item.after.instances}
                  </li>
                ))}
              </ul>
            </section>
            <details>
              <summary>Unchanged: {diff.unchanged.length}</summary>
              <ul class="plain">
                {diff.unchanged.map((item) => (
                  <li key={item.fingerprint}>
                    {item.name} <span class="muted small">× {item.instances}</span>
                  </li>
                ))}
              </ul>
            </details>
            <p>
              <a href={href("orgs", org, "environments")}>All environments</a>
            </p>
          </section>
        );
      }}
    </Page>
  );
}
