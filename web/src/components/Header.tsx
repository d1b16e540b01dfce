import { href, navigate, withQuery } from "../router";

export function Header({ org, signedIn, onSignOut }: { org: string | null; signedIn: boolean; onSignOut: () => void }) {
  return (
    <header class="site">
      <a class="brand" href="/">
        tracegraph
      </a>
      {org && (
        <nav aria-label="Org">
          <a href={href("orgs", org, "environments")}>{org}: environments</a>
        </nav>
      )}
      {org && (
        <form
          role="search"
          class="search"
          onSubmit={(event) => {
            event.preventDefault();
            const prefix = String(new FormData(event.currentTarget).get("q") ?? "").trim();
            if (prefix) navigate(withQuery(href("orgs", org, "search"), { q: prefix }));
          }}
        >
          <label for="search-q" class="visually-hidden">
            Search a commit sha or fingerprint prefix
          </label>
          <input id="search-q" name="q" type="search" placeholder="sha or fingerprint prefix" autoComplete="off" spellcheck={false} />
          <button type="submit">Search</button>
        </form>
      )}
      {signedIn && (
        <button type="button" class="link" onClick={onSignOut}>
          Sign out
        </button>
      )}
    </header>
  );
}
