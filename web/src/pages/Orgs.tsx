import { useQuery } from "@urql/preact";
import { Page } from "../components/Status";
import { graphql } from "../gql";
import { href } from "../router";

const OrgsQuery = graphql(`
  query Orgs {
    orgs {
      name
      public
      description
    }
  }
`);

export function Orgs() {
  const [result] = useQuery({ query: OrgsQuery });
  return (
    <Page result={result} title="Your orgs">
      {(data) => (
        <section aria-labelledby="orgs-heading">
          <h1 id="orgs-heading">Your orgs</h1>
          {data.orgs.length === 0 ? (
            <p>This token may read no org.</p>
          ) : (
            <ul class="cards">
              {data.orgs.map((org) => (
                <li key={org.name}>
                  <a href={href("orgs", org.name, "environments")}>{org.name}</a>
                  {org.public && <span class="badge">public</span>}
                  {org.description && <p class="muted">{org.description}</p>}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </Page>
  );
}
