// A running fingerprint's provenance: each build that reported it, with its commit; or the rogue-artifact badge.
import { NoProvenance, State } from "./Badges";
import { firstLine } from "../format";
import { href, withQuery } from "../router";

export type Build = {
  name: string;
  fingerprint: string;
  state?: "COMPLIANT" | "NON_COMPLIANT";
  buildUrl?: string | null;
  flow: { name: string };
  commit?: { sha: string; shortSha: string; message?: string; author?: string | null; url?: string | null } | null;
};

export function Provenance({ org, fingerprint, builds }: { org: string; fingerprint: string; builds: Build[] }) {
  if (builds.length === 0) {
    return (
      <>
        <NoProvenance />{" "}
        <a href={withQuery(href("orgs", org, "search"), { q: fingerprint })} class="small">
          where it runs
        </a>
      </>
    );
  }
  return (
    <ul class="plain">
      {builds.map((build) => (
        <li key={build.flow.name}>
          <a href={href("orgs", org, "artifacts", build.flow.name, build.fingerprint)}>{build.flow.name}</a>
          {build.state && (
            <>
              {" "}
              <State state={build.state} />
            </>
          )}
          {build.buildUrl && (
            <>
              {" "}
              <a href={build.buildUrl} class="small" rel="noreferrer">
                build
              </a>
            </>
          )}
          {build.commit && (
            <div class="small">
              <a href={href("orgs", org, "commits", build.commit.sha)}>
                <code>{build.commit.shortSha}</code>
              </a>
              {build.commit.message ? ` ${firstLine(build.commit.message)}` : ""}
              {build.commit.author ? ` — ${build.commit.author}` : ""}
              {build.commit.url && (
                <>
                  {" "}
                  <a href={build.commit.url} rel="noreferrer" aria-label={`commit ${build.commit.shortSha} at its host`}>
                    ↗
                  </a>
                </>
              )}
            </div>
          )}
        </li>
      ))}
    </ul>
  );
}

