import { ago, when } from "../format";

export function Time({ at, relative = false }: { at: string; relative?: boolean }) {
  return (
    <time dateTime={at} title={relative ? when(at) : undefined}>
      {relative ? ago(at) : when(at)}
    </time>
  );
}
