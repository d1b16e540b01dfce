// Compliance and findings as text with a colour, never colour alone.
export function Compliance({ compliant }: { compliant: boolean }) {
  return <span class={compliant ? "badge ok" : "badge bad"}>{compliant ? "compliant" : "non-compliant"}</span>;
}

export function State({ state }: { state: "COMPLIANT" | "NON_COMPLIANT" }) {
  return <Compliance compliant={state === "COMPLIANT"} />;
}

const FINDING_WORDS: Record<string, string> = {
  WITHOUT_PROVENANCE: "no provenance",
  DEPLOYED_NOT_STARTED: "deployed, not started",
  STARTED_WITHOUT_DEPLOYMENT: "started without deployment",
  NON_COMPLIANT: "non-compliant",
  ROLL_BACK: "roll-back",
};

export function Finding({ kind }: { kind: string }) {
  return <span class="badge bad">{FINDING_WORDS[kind] ?? kind}</span>;
}

export function NoProvenance() {
  return <span class="badge bad">no provenance</span>;
}
