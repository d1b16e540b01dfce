// Sign-in: the token is checked by asking which orgs it may read (the org picker's own query).
import { useEffect, useState } from "preact/hooks";

export function SignIn({ notice, onSignIn }: { notice: string | null; onSignIn: (token: string) => void }) {
  const [value, setValue] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    document.title = "Sign in · tracegraph";
    document.getElementById("main")?.setAttribute("data-state", "ready");
  }, []);
  return (
    <section aria-labelledby="sign-in-heading" class="narrow">
      <h1 id="sign-in-heading">Sign in</h1>
      {notice && (
        <p role="alert" class="notice">
          {notice}
        </p>
      )}
      <p>
        Paste an API token of your org (<code>tracegraph admin create-token</code>, or the <code>api_token</code> that{" "}
        <code>tracegraph serve --demo</code> saved). It is kept in this tab only, until you sign out or close it.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const secret = value.trim();
          if (!secret) {
            setProblem("Enter a token.");
            return;
          }
          onSignIn(secret);
        }}
      >
        <label for="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellcheck={false}
          value={value}
          aria-describedby={problem ? "token-problem" : undefined}
          onInput={(event) => setValue(event.currentTarget.value)}
        />
        {problem && (
          <p id="token-problem" role="alert" class="notice">
            {problem}
          </p>
        )}
        <button type="submit">Sign in</button>
      </form>
    </section>
  );
}
