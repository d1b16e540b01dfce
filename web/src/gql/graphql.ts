/* eslint-disable */
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** Date with time (isoformat) */
  DateTime: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](https://ecma-international.org/wp-content/uploads/ECMA-404_2nd_edition_december_2017.pdf). */
  JSON: { input: unknown; output: unknown; }
};

/** Compliance of an artifact: NON_COMPLIANT when any of its attestations failed, else COMPLIANT (also with no attestation, as in Kosli without a flow template). */
export type ArtifactState =
  | 'COMPLIANT'
  | 'NON_COMPLIANT';

/** Which policy, and which environment it governs. */
export type AttachPolicyInput = {
  /** The environment's name. */
  environment: Scalars['String']['input'];
  /** The org of both. */
  org: Scalars['String']['input'];
  /** The policy's name; its latest version applies. */
  policy: Scalars['String']['input'];
};

/** Attach evidence to an artifact. */
export type AttestInput = {
  /** A custom type's data (any JSON): it must satisfy the type's schema, and its jq rules are run on it; the type's name and version, the data and each rule's result are kept in `data`. Only for custom types. */
  attestationData?: InputMaybe<Scalars['JSON']['input']>;
  /** Whether the evidence passed: required, except for a custom type, whose jq rules decide (leave it out). */
  compliant?: InputMaybe<Scalars['Boolean']['input']>;
  /** The evidence's data: a JSON object of at most 65,536 bytes. */
  data?: InputMaybe<Scalars['JSON']['input']>;
  /** The artifact's SHA-256 fingerprint: exactly 64 hexadecimal characters. The artifact must be reported. */
  fingerprint: Scalars['String']['input'];
  /** The artifact's flow. */
  flow: Scalars['String']['input'];
  /** Its name within the artifact, e.g. unit-tests. 1-100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit. */
  name: Scalars['String']['input'];
  /** The org. */
  org: Scalars['String']['input'];
  /** When (default: now). ISO 8601 with a time zone, e.g. 2022-09-06T14:52:28Z. */
  reportedAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Its type, e.g. generic, junit, snyk (1-100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit), or custom:NAME for a custom attestation type of the org (see `createAttestationType`). */
  type: Scalars['String']['input'];
  /** A link to the evidence. An http or https URL with a host, at most 2,048 characters, without whitespace or control characters. */
  url?: InputMaybe<Scalars['String']['input']>;
};

/** Begin a trail (one run of a flow), or update it; its creation time is kept. */
export type BeginTrailInput = {
  /** Free text, at most 10,000 characters; tabs and line breaks are allowed, other control characters are not. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The flow, which must exist. */
  flow: Scalars['String']['input'];
  /** The commit the run is for, written to the commit graph with the trail; null keeps the stored one. */
  gitCommit?: InputMaybe<CommitInput>;
  /** The trail's name, usually the commit's sha. 1-100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit. */
  name: Scalars['String']['input'];
  /** The org. */
  org: Scalars['String']['input'];
  /** A link to where the run happened, e.g. a CI job. An http or https URL with a host, at most 2,048 characters, without whitespace or control characters. */
  originUrl?: InputMaybe<Scalars['String']['input']>;
  /** The repository of `gitCommit`. An http or https URL with a host, at most 2,048 characters, without whitespace or control characters. */
  repoUrl?: InputMaybe<Scalars['String']['input']>;
  /** The trail's template (YAML), kept as given, never evaluated; null keeps the stored one. Free text, at most 10,000 characters; tabs and line breaks are allowed, other control characters are not. */
  templateYaml?: InputMaybe<Scalars['String']['input']>;
  /** What the run reports about itself: a JSON object or array of at most 65,536 bytes. */
  userData?: InputMaybe<Scalars['JSON']['input']>;
};

/** A git commit with its parents. */
export type CommitInput = {
  /** The author's name. 1-200 characters of one line of printable text: no control characters (tab, newline, NEL…), no line or paragraph separators, no invisible format characters such as U+200B, U+FEFF or bidirectional overrides. */
  author?: InputMaybe<Scalars['String']['input']>;
  /** The author's e-mail address. 1-200 characters of one line of printable text: no control characters (tab, newline, NEL…), no line or paragraph separators, no invisible format characters such as U+200B, U+FEFF or bidirectional overrides. */
  authorEmail?: InputMaybe<Scalars['String']['input']>;
  /** The branch. 1-200 characters of one line of printable text: no control characters (tab, newline, NEL…), no line or paragraph separators, no invisible format characters such as U+200B, U+FEFF or bidirectional overrides. */
  branch?: InputMaybe<Scalars['String']['input']>;
  /** The commit message, kept exactly as git holds it (any character but a lone surrogate); at most 10,000 characters. */
  message?: InputMaybe<Scalars['String']['input']>;
  /** Parent shas in git's order; at most 64. */
  parents?: InputMaybe<Array<Scalars['String']['input']>>;
  /** A git commit sha: exactly 40 hexadecimal characters. */
  sha: Scalars['String']['input'];
  /** When it was authored. ISO 8601 with a time zone, e.g. 2022-09-06T14:52:28Z. */
  timestamp?: InputMaybe<Scalars['DateTime']['input']>;
  /** A link to the commit. An http or https URL with a host, at most 2,048 characters, without whitespace or control characters. */
  url?: InputMaybe<Scalars['String']['input']>;
};

/** Define a custom attestation type, or redefine it: a different description, schema or rules make the next version (attestations keep the version they were evaluated against); the same definition changes nothing. */
export type CreateAttestationTypeInput = {
  /** Free text, at most 10,000 characters; tabs and line breaks are allowed, other control characters are not. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** jq programs (at most 50, each 1-2,000 characters) that must each yield `true` for an attestation to be compliant; none: compliant whenever the schema is satisfied. */
  jqRules?: Array<Scalars['String']['input']>;
  /** A JSON Schema (draft 2020-12, a JSON object of at most 65,536 bytes) that attestation data must satisfy. */
  jsonSchema: Scalars['JSON']['input'];
  /** The type's name, as attestations name it after custom:. 1-200 characters of one line of printable text: no control characters (tab, newline, NEL…), no line or paragraph separators, no invisible format characters such as U+200B, U+FEFF or bidirectional overrides. */
  name: Scalars['String']['input'];
  /** The org, which must exist. */
  org: Scalars['String']['input'];
};

/** Create an environment, or update it. */
export type CreateEnvironmentInput = {
  /** Free text, at most 10,000 characters; tabs and line breaks are allowed, other control characters are not. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The environment's name. 1-100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit. */
  name: Scalars['String']['input'];
  /** The org, which must exist. */
  org: Scalars['String']['input'];
  /** What kind of environment it is. */
  type: EnvironmentType;
};

/** Create a flow, or update it. */
export type CreateFlowInput = {
  /** Free text, at most 10,000 characters; tabs and line breaks are allowed, other control characters are not. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The flow's name. 1-100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit. */
  name: Scalars['String']['input'];
  /** The org, which must exist. */
  org: Scalars['String']['input'];
  /** The source repository. An http or https URL with a host, at most 2,048 characters, without whitespace or control characters. */
  repoUrl?: InputMaybe<Scalars['String']['input']>;
  /** The flow's template (YAML), kept and returned as given, never evaluated; null keeps the stored one. Free text, at most 10,000 characters; tabs and line breaks are allowed, other control characters are not. */
  templateYaml?: InputMaybe<Scalars['String']['input']>;
};

/** Create an org, or update its description and visibility. */
export type CreateOrgInput = {
  /** Free text, at most 10,000 characters; tabs and line breaks are allowed, other control characters are not. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The org's name. 1-100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit. */
  name: Scalars['String']['input'];
  /** Whether any authenticated caller may read it. */
  public?: Scalars['Boolean']['input'];
};

/** A policy's content: version 1, the same version when nothing changed, else N+1. */
export type CreatePolicyInput = {
  /** Free text, at most 10,000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The policy's name (1-100 characters from A-Z a-z 0-9 . _ -). */
  name: Scalars['String']['input'];
  /** The org, which must exist. */
  org: Scalars['String']['input'];
  /** The policy document (docs/policies.md), at most 65,536 bytes; an invalid one is BAD_USER_INPUT naming `input.yaml` with the line and the rule. */
  yaml: Scalars['String']['input'];
};

/** A new API token of `org`. */
export type CreateTokenInput = {
  /** When it stops working; null: never. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** What it is for; 1-200 printable characters. */
  name?: Scalars['String']['input'];
  /** The org the token belongs to. */
  org: Scalars['String']['input'];
  /** What it may do there. */
  role: Role;
};

/** A new webhook of `org`. */
export type CreateWebhookInput = {
  /** Whether it receives deliveries. */
  active?: Scalars['Boolean']['input'];
  /** Only events naming one of these environments (null or empty: all). */
  environments?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The events it receives (at least one). */
  events: Array<WebhookEvent>;
  /** Only events naming one of these flows (null or empty: all). */
  flows?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The org whose changes it receives. */
  org: Scalars['String']['input'];
  /** The HMAC-SHA256 key signing each delivery (16-256 printable ASCII characters (no spaces)); null: a random one is made. Answered once, in the payload; never again. */
  secret?: InputMaybe<Scalars['String']['input']>;
  /** Where deliveries are POSTed: an https URL, or an http URL to a loopback host (127.0.0.0/8, ::1, localhost), with a host and no user name or password, at most 2,048 characters, without whitespace or control characters. */
  url: Scalars['String']['input'];
};

/** The webhook to delete, with its deliveries. */
export type DeleteWebhookInput = {
  /** The webhook's id. */
  id: Scalars['ID']['input'];
  /** The webhook's org. */
  org: Scalars['String']['input'];
};

/** Where an environment runs its artifacts: a Kubernetes cluster, an ECS cluster, Docker hosts, plain servers, Lambda functions, S3 buckets, Azure apps, Google Cloud Run services, or a logical grouping of other environments. */
export type EnvironmentType =
  | 'AZURE_APPS'
  | 'CLOUD_RUN'
  | 'DOCKER'
  | 'ECS'
  | 'K8S'
  | 'LAMBDA'
  | 'LOGICAL'
  | 'S3'
  | 'SERVER';

/** What happened to one fingerprint in a snapshot: it STARTED (from 0 instances), STOPPED (to 0) or SCALED (another non-zero instance count). */
export type EventType =
  | 'SCALED'
  | 'STARTED'
  | 'STOPPED';

/** What a finding says is wrong: WITHOUT_PROVENANCE (running, no build reported it), DEPLOYED_NOT_STARTED (deployed, not running within the start window), STARTED_WITHOUT_DEPLOYMENT (a built artifact started with no deployment reported), NON_COMPLIANT (running with a failed attestation), ROLL_BACK (started as a newer build of its flow stopped). */
export type FindingKind =
  | 'DEPLOYED_NOT_STARTED'
  | 'NON_COMPLIANT'
  | 'ROLL_BACK'
  | 'STARTED_WITHOUT_DEPLOYMENT'
  | 'WITHOUT_PROVENANCE';

/** One entry of an artifact's history: CREATED (built), DEPLOYED (a deployment was reported), ATTESTED (evidence reported), STARTED or STOPPED running in an environment. */
export type HistoryKind =
  | 'ATTESTED'
  | 'CREATED'
  | 'DEPLOYED'
  | 'STARTED'
  | 'STOPPED';

/** One instance of a running artifact (a K8S pod, an ECS task, an Azure app, a Cloud Run revision); every field optional. */
export type InstanceInput = {
  /** What else is known of it (owners, cluster, service, revision…): a JSON object of at most 32 entries, keys and values strings. 1-200 characters of one line of printable text: no control characters (tab, newline, NEL…), no line or paragraph separators, no invisible format characters such as U+200B, U+FEFF or bidirectional overrides. */
  context?: InputMaybe<Scalars['JSON']['input']>;
  /** The instance's name (a pod name, a task ARN…); 1-512 characters of one line of printable text: no control characters (tab, newline, NEL…), no line or paragraph separators, no invisible format characters such as U+200B, U+FEFF or bidirectional overrides. */
  name?: InputMaybe<Scalars['String']['input']>;
  /** Its namespace. 1-200 characters of one line of printable text: no control characters (tab, newline, NEL…), no line or paragraph separators, no invisible format characters such as U+200B, U+FEFF or bidirectional overrides. */
  namespace?: InputMaybe<Scalars['String']['input']>;
  /** When it started. ISO 8601 with a time zone, e.g. 2022-09-06T14:52:28Z. */
  startedAt?: InputMaybe<Scalars['DateTime']['input']>;
};

/** Why an artifact fails a policy (Kosli's resolution types where Kosli has one). */
export type PolicyReasonKind =
  | 'MISSING_ATTESTATION'
  | 'MISSING_PROVENANCE'
  | 'NON_COMPLIANT_ATTESTATION'
  | 'NON_COMPLIANT_TRAIL';

/** The delivery to send again. */
export type ReplayWebhookDeliveryInput = {
  /** The delivery's id. */
  id: Scalars['ID']['input'];
  /** The delivery's org. */
  org: Scalars['String']['input'];
};

/** Report a build: artifact `fingerprint` of `flow`, built from `gitCommit`. Idempotent. */
export type ReportArtifactInput = {
  /** A link to the CI build. An http or https URL with a host, at most 2,048 characters, without whitespace or control characters. */
  buildUrl?: InputMaybe<Scalars['String']['input']>;
  /** The commit's details, so they need no separate report; sha = gitCommit. */
  commit?: InputMaybe<CommitInput>;
  /** A link to that commit. An http or https URL with a host, at most 2,048 characters, without whitespace or control characters. */
  commitUrl?: InputMaybe<Scalars['String']['input']>;
  /** When it was built (default: now). ISO 8601 with a time zone, e.g. 2022-09-06T14:52:28Z. */
  createdAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** The artifact's SHA-256 fingerprint: exactly 64 hexadecimal characters. */
  fingerprint: Scalars['String']['input'];
  /** The flow, which must exist. */
  flow: Scalars['String']['input'];
  /** The commit it was built from. A git commit sha: exactly 40 hexadecimal characters. */
  gitCommit?: InputMaybe<Scalars['String']['input']>;
  /** Git history written with the artifact, in the same transaction: at most 5,000 commits with their parents, each sha once; kept also without `repoUrl`. */
  history?: InputMaybe<Array<CommitInput>>;
  /** The artifact's name, e.g. an image name; 1-512 characters of one line of printable text: no control characters (tab, newline, NEL…), no line or paragraph separators, no invisible format characters such as U+200B, U+FEFF or bidirectional overrides. */
  name: Scalars['String']['input'];
  /** The org. */
  org: Scalars['String']['input'];
  /** The repository of `commit` and `history`. An http or https URL with a host, at most 2,048 characters, without whitespace or control characters. */
  repoUrl?: InputMaybe<Scalars['String']['input']>;
  /** Its name in the trail's template; needs `trail`. 1-100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit. */
  templateReferenceName?: InputMaybe<Scalars['String']['input']>;
  /** The trail (run of the flow) it belongs to, created when missing; null keeps the stored one. 1-100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit. */
  trail?: InputMaybe<Scalars['String']['input']>;
};

/** Report git history for one repository, in bulk. Idempotent. */
export type ReportCommitsInput = {
  /** 1 to 5,000 commits; parents may come before or after their children. */
  commits: Array<CommitInput>;
  /** The org. */
  org: Scalars['String']['input'];
  /** Its host, e.g. github. 1-200 characters of one line of printable text: no control characters (tab, newline, NEL…), no line or paragraph separators, no invisible format characters such as U+200B, U+FEFF or bidirectional overrides. */
  provider?: InputMaybe<Scalars['String']['input']>;
  /** Its display name. 1-200 characters of one line of printable text: no control characters (tab, newline, NEL…), no line or paragraph separators, no invisible format characters such as U+200B, U+FEFF or bidirectional overrides. */
  repoName?: InputMaybe<Scalars['String']['input']>;
  /** The repository. An http or https URL with a host, at most 2,048 characters, without whitespace or control characters. */
  repoUrl: Scalars['String']['input'];
};

/** Report that a pipeline deployed an artifact to an environment. */
export type ReportDeploymentInput = {
  /** Free text, at most 10,000 characters; tabs and line breaks are allowed, other control characters are not. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** The environment, which must exist. */
  environment: Scalars['String']['input'];
  /** The artifact's SHA-256 fingerprint: exactly 64 hexadecimal characters. The artifact must be reported. */
  fingerprint: Scalars['String']['input'];
  /** The artifact's flow. */
  flow: Scalars['String']['input'];
  /** The org. */
  org: Scalars['String']['input'];
  /** When (default: now). ISO 8601 with a time zone, e.g. 2022-09-06T14:52:28Z. */
  reportedAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Who deployed. 1-200 characters of one line of printable text: no control characters (tab, newline, NEL…), no line or paragraph separators, no invisible format characters such as U+200B, U+FEFF or bidirectional overrides. */
  user?: InputMaybe<Scalars['String']['input']>;
};

/** Report an environment's complete running set. Makes snapshot N+1 only when the set changed (fingerprints or instance counts). */
export type ReportSnapshotInput = {
  /** Everything running, each fingerprint once; at most 10,000. Empty: nothing runs. */
  artifacts: Array<RunningArtifactInput>;
  /** The environment, which must exist. */
  environment: Scalars['String']['input'];
  /** The org. */
  org: Scalars['String']['input'];
  /** When it was observed (default: now); not before the latest snapshot. ISO 8601 with a time zone, e.g. 2022-09-06T14:52:28Z. */
  reportedAt?: InputMaybe<Scalars['DateTime']['input']>;
};

/** The token to revoke. */
export type RevokeTokenInput = {
  /** The token's id. */
  id: Scalars['ID']['input'];
  /** The token's org. */
  org: Scalars['String']['input'];
};

/** What a token may do in its org: READER queries; WRITER also reports builds, deployments, snapshots and attestations; ADMIN also manages flows, environments, tokens and the org's settings. */
export type Role =
  | 'ADMIN'
  | 'READER'
  | 'WRITER';

/** What decided that the stopped build was newer: ANCESTRY (the started build's commit is an ancestor of the stopped one's) or BUILD_TIME (ancestry unknown — history with holes, commits never reported, unrelated branches, the same commit — so the build times decided). */
export type RollBackBasis =
  | 'ANCESTRY'
  | 'BUILD_TIME';

/** One fingerprint running in an environment. */
export type RunningArtifactInput = {
  /** The artifact's SHA-256 fingerprint: exactly 64 hexadecimal characters. */
  fingerprint: Scalars['String']['input'];
  /** How many instances run: 1 to 1,000,000 (default: 1, or the number of `instancesDetail` when given; given both, they must agree). */
  instances?: InputMaybe<Scalars['Int']['input']>;
  /** Each instance, at most 1,000. Kept with the run the report opens; a report that changes no fingerprint or count makes no snapshot and keeps the detail first reported. */
  instancesDetail?: InputMaybe<Array<InstanceInput>>;
  /** The name observed in the environment; 1-512 characters of one line of printable text: no control characters (tab, newline, NEL…), no line or paragraph separators, no invisible format characters such as U+200B, U+FEFF or bidirectional overrides. */
  name: Scalars['String']['input'];
};

/** PENDING (waiting for an attempt, or being attempted), DELIVERED (a 2xx answer), FAILED (given up: a 4xx other than 408 and 429, a redirect, or the last of TRACEGRAPH_WEBHOOK_MAX_ATTEMPTS attempts failed). */
export type WebhookDeliveryStatus =
  | 'DELIVERED'
  | 'FAILED'
  | 'PENDING';

/** What a webhook is told about: SNAPSHOT_REPORTED (`snapshot.reported`: an environment's running set changed), ARTIFACT_REPORTED (`artifact.reported`: a build was reported or changed), DEPLOYMENT_REPORTED (`deployment.reported`), COMMIT_ARRIVED (`commit.arrived`: artifacts built from known commits started running in an environment; one delivery per snapshot, listing the commits). */
export type WebhookEvent =
  | 'ARTIFACT_REPORTED'
  | 'COMMIT_ARRIVED'
  | 'DEPLOYMENT_REPORTED'
  | 'SNAPSHOT_REPORTED';

export type ArtifactPageQueryVariables = Exact<{
  org: Scalars['String']['input'];
  flow: Scalars['String']['input'];
  fingerprint: Scalars['String']['input'];
}>;


export type ArtifactPageQuery = { artifact: { name: string, fingerprint: string, createdAt: string, buildUrl?: string | null, commitUrl?: string | null, gitCommit?: string | null, state: ArtifactState, flow: { name: string }, commit?: { sha: string, message: string, author?: string | null, timestamp?: string | null } | null, history: Array<{ kind: HistoryKind, at: string, description: string, environment?: string | null, snapshotIndex?: number | null }>, placements: Array<{ name: string, instances: number, fromIndex: number, toIndex?: number | null, running: boolean, startedAt: string, environment: { name: string } }> } };

export type CommitPageQueryVariables = Exact<{
  org: Scalars['String']['input'];
  sha: Scalars['String']['input'];
}>;


export type CommitPageQuery = { commit: { sha: string, shortSha: string, message: string, author?: string | null, timestamp?: string | null, branch?: string | null, url?: string | null, parents: Array<string>, placementsComplete: boolean, undecidedCommits: Array<string>, runningIn: Array<{ current: boolean, fromIndex: number, toIndex?: number | null, distance: number, environment: { name: string }, artifact: { name: string, fingerprint: string, flow: { name: string }, commit?: { sha: string, shortSha: string } | null } }>, ranIn: Array<{ current: boolean, fromIndex: number, toIndex?: number | null, distance: number, environment: { name: string }, artifact: { name: string, fingerprint: string, flow: { name: string }, commit?: { sha: string, shortSha: string } | null } }>, artifacts: Array<{ name: string, fingerprint: string, createdAt: string, state: ArtifactState, flow: { name: string } }> } };

export type PlacedFragment = { current: boolean, fromIndex: number, toIndex?: number | null, distance: number, environment: { name: string }, artifact: { name: string, fingerprint: string, flow: { name: string }, commit?: { sha: string, shortSha: string } | null } };

export type DiffQueryVariables = Exact<{
  org: Scalars['String']['input'];
  from: Scalars['String']['input'];
  to: Scalars['String']['input'];
}>;


export type DiffQuery = { diff: { from: { environment: { name: string }, snapshot?: { index: number } | null }, to: { environment: { name: string }, snapshot?: { index: number } | null }, onlyInFrom: Array<{ name: string, fingerprint: string, instances: number, artifacts: Array<{ name: string, fingerprint: string, state: ArtifactState, flow: { name: string }, commit?: { sha: string, shortSha: string, message: string, author?: string | null } | null }> }>, onlyInTo: Array<{ name: string, fingerprint: string, instances: number, artifacts: Array<{ name: string, fingerprint: string, state: ArtifactState, flow: { name: string }, commit?: { sha: string, shortSha: string, message: string, author?: string | null } | null }> }>, scaled: Array<{ before: { name: string, fingerprint: string, instances: number }, after: { instances: number } }>, unchanged: Array<{ name: string, fingerprint: string, instances: number }> } };

export type DiffItemFragment = { name: string, fingerprint: string, instances: number, artifacts: Array<{ name: string, fingerprint: string, state: ArtifactState, flow: { name: string }, commit?: { sha: string, shortSha: string, message: string, author?: string | null } | null }> };

export type EnvironmentsQueryVariables = Exact<{
  org: Scalars['String']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type EnvironmentsQuery = { liveCursor: string, environments: { totalCount?: number | null, pageInfo: { hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ name: string, type: EnvironmentType, latestIndex: number, lastChangedAt?: string | null, lastReportedAt?: string | null, snapshots: { nodes: Array<{ index: number, compliant: boolean, running: { totalCount?: number | null } }> }, findings: { withoutProvenance: Array<{ fingerprint: string }>, nonCompliant: Array<{ reasons: Array<string> }>, rollBacks: Array<{ basis: RollBackBasis }> } }> } };

export type EnvironmentsLiveSubscriptionVariables = Exact<{
  org: Scalars['String']['input'];
  after?: InputMaybe<Scalars['ID']['input']>;
}>;


export type EnvironmentsLiveSubscription = { snapshotReported: { cursor: string, snapshot: { index: number, environment: { name: string } } } };

export type OrgsQueryVariables = Exact<{ [key: string]: never; }>;


export type OrgsQuery = { orgs: Array<{ name: string, public: boolean, description: string }> };

export type SearchQueryVariables = Exact<{
  org: Scalars['String']['input'];
  prefix: Scalars['String']['input'];
}>;


export type SearchQuery = { search: { prefix: string, commits: Array<{ sha: string, shortSha: string, message: string, author?: string | null }>, fingerprints: Array<{ fingerprint: string, artifacts: Array<{ name: string, fingerprint: string, flow: { name: string } }>, placements: Array<{ name: string, fromIndex: number, toIndex?: number | null, running: boolean, environment: { name: string } }> }> } };

export type SnapshotPageQueryVariables = Exact<{
  org: Scalars['String']['input'];
  env: Scalars['String']['input'];
  index: Scalars['Int']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
}>;


export type SnapshotPageQuery = { environment: { name: string, latestIndex: number, snapshot: { index: number, reportedAt: string, compliant: boolean, policyEvaluation?: { compliant: boolean, nonCompliantTotal: number, policies: Array<{ name: string, version: number }> } | null, running: { totalCount?: number | null, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, nodes: Array<{ name: string, fingerprint: string, instances: number, sinceIndex: number, since: string, artifacts: Array<{ name: string, fingerprint: string, state: ArtifactState, buildUrl?: string | null, flow: { name: string }, commit?: { sha: string, shortSha: string, message: string, author?: string | null, url?: string | null } | null }> }> } } }, environments: { nodes: Array<{ name: string }> } };

export type TimelineQueryVariables = Exact<{
  org: Scalars['String']['input'];
  env: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  interval?: InputMaybe<Scalars['String']['input']>;
  since?: InputMaybe<Scalars['DateTime']['input']>;
  until?: InputMaybe<Scalars['DateTime']['input']>;
  flow?: InputMaybe<Scalars['String']['input']>;
  events: Scalars['Int']['input'];
}>;


export type TimelineQuery = { liveCursor: string, environment: { name: string, latestIndex: number, snapshots: { totalCount?: number | null, pageInfo: { hasNextPage: boolean, hasPreviousPage: boolean, startCursor?: string | null, endCursor?: string | null }, nodes: Array<{ index: number, reportedAt: string, events: { totalCount?: number | null, nodes: Array<{ type: EventType, description: string, name: string, fingerprint: string, findings: Array<FindingKind>, artifacts: Array<{ fingerprint: string, flow: { name: string }, commit?: { sha: string, shortSha: string } | null }>, deployments: Array<{ number: number, flow: { name: string } }> }> } }> } } };

export type TimelineLiveSubscriptionVariables = Exact<{
  org: Scalars['String']['input'];
  env: Scalars['String']['input'];
  after?: InputMaybe<Scalars['ID']['input']>;
}>;


export type TimelineLiveSubscription = { snapshotReported: { cursor: string, snapshot: { index: number } } };

export const PlacedFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Placed"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommitPlacement"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"current"}},{"kind":"Field","name":{"kind":"Name","value":"fromIndex"}},{"kind":"Field","name":{"kind":"Name","value":"toIndex"}},{"kind":"Field","name":{"kind":"Name","value":"distance"}},{"kind":"Field","name":{"kind":"Name","value":"environment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"artifact"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"commit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sha"}},{"kind":"Field","name":{"kind":"Name","value":"shortSha"}}]}}]}}]}}]} as unknown as DocumentNode<PlacedFragment, unknown>;
export const DiffItemFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DiffItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunningArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"instances"}},{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"commit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sha"}},{"kind":"Field","name":{"kind":"Name","value":"shortSha"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"author"}}]}}]}}]}}]} as unknown as DocumentNode<DiffItemFragment, unknown>;
export const ArtifactPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ArtifactPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"org"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"flow"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"fingerprint"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"artifact"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"org"},"value":{"kind":"Variable","name":{"kind":"Name","value":"org"}}},{"kind":"Argument","name":{"kind":"Name","value":"flow"},"value":{"kind":"Variable","name":{"kind":"Name","value":"flow"}}},{"kind":"Argument","name":{"kind":"Name","value":"fingerprint"},"value":{"kind":"Variable","name":{"kind":"Name","value":"fingerprint"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"buildUrl"}},{"kind":"Field","name":{"kind":"Name","value":"commitUrl"}},{"kind":"Field","name":{"kind":"Name","value":"gitCommit"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"commit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sha"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"author"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}}]}},{"kind":"Field","name":{"kind":"Name","value":"history"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"environment"}},{"kind":"Field","name":{"kind":"Name","value":"snapshotIndex"}}]}},{"kind":"Field","name":{"kind":"Name","value":"placements"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"environment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"instances"}},{"kind":"Field","name":{"kind":"Name","value":"fromIndex"}},{"kind":"Field","name":{"kind":"Name","value":"toIndex"}},{"kind":"Field","name":{"kind":"Name","value":"running"}},{"kind":"Field","name":{"kind":"Name","value":"startedAt"}}]}}]}}]}}]} as unknown as DocumentNode<ArtifactPageQuery, ArtifactPageQueryVariables>;
export const CommitPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CommitPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"org"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"sha"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"commit"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"org"},"value":{"kind":"Variable","name":{"kind":"Name","value":"org"}}},{"kind":"Argument","name":{"kind":"Name","value":"sha"},"value":{"kind":"Variable","name":{"kind":"Name","value":"sha"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sha"}},{"kind":"Field","name":{"kind":"Name","value":"shortSha"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"author"}},{"kind":"Field","name":{"kind":"Name","value":"timestamp"}},{"kind":"Field","name":{"kind":"Name","value":"branch"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"parents"}},{"kind":"Field","name":{"kind":"Name","value":"placementsComplete"}},{"kind":"Field","name":{"kind":"Name","value":"undecidedCommits"}},{"kind":"Field","name":{"kind":"Name","value":"runningIn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Placed"}}]}},{"kind":"Field","name":{"kind":"Name","value":"ranIn"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"Placed"}}]}},{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"createdAt"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"Placed"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"CommitPlacement"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"current"}},{"kind":"Field","name":{"kind":"Name","value":"fromIndex"}},{"kind":"Field","name":{"kind":"Name","value":"toIndex"}},{"kind":"Field","name":{"kind":"Name","value":"distance"}},{"kind":"Field","name":{"kind":"Name","value":"environment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"artifact"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"commit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sha"}},{"kind":"Field","name":{"kind":"Name","value":"shortSha"}}]}}]}}]}}]} as unknown as DocumentNode<CommitPageQuery, CommitPageQueryVariables>;
export const DiffDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Diff"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"org"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"from"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"to"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"diff"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"org"},"value":{"kind":"Variable","name":{"kind":"Name","value":"org"}}},{"kind":"Argument","name":{"kind":"Name","value":"from"},"value":{"kind":"Variable","name":{"kind":"Name","value":"from"}}},{"kind":"Argument","name":{"kind":"Name","value":"to"},"value":{"kind":"Variable","name":{"kind":"Name","value":"to"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"from"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"environment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"to"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"environment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"onlyInFrom"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DiffItem"}}]}},{"kind":"Field","name":{"kind":"Name","value":"onlyInTo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"DiffItem"}}]}},{"kind":"Field","name":{"kind":"Name","value":"scaled"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"before"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"instances"}}]}},{"kind":"Field","name":{"kind":"Name","value":"after"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"instances"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"unchanged"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"instances"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"DiffItem"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"RunningArtifact"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"instances"}},{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"commit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sha"}},{"kind":"Field","name":{"kind":"Name","value":"shortSha"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"author"}}]}}]}}]}}]} as unknown as DocumentNode<DiffQuery, DiffQueryVariables>;
export const EnvironmentsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Environments"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"org"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"liveCursor"}},{"kind":"Field","name":{"kind":"Name","value":"environments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"org"},"value":{"kind":"Variable","name":{"kind":"Name","value":"org"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"latestIndex"}},{"kind":"Field","name":{"kind":"Name","value":"lastChangedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastReportedAt"}},{"kind":"Field","name":{"kind":"Name","value":"snapshots"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"compliant"}},{"kind":"Field","name":{"kind":"Name","value":"running"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"1"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"findings"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"kinds"},"value":{"kind":"ListValue","values":[{"kind":"EnumValue","value":"WITHOUT_PROVENANCE"},{"kind":"EnumValue","value":"NON_COMPLIANT"},{"kind":"EnumValue","value":"ROLL_BACK"}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"withoutProvenance"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nonCompliant"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reasons"}}]}},{"kind":"Field","name":{"kind":"Name","value":"rollBacks"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"basis"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<EnvironmentsQuery, EnvironmentsQueryVariables>;
export const EnvironmentsLiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"EnvironmentsLive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"org"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"snapshotReported"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"org"},"value":{"kind":"Variable","name":{"kind":"Name","value":"org"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"environment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]} as unknown as DocumentNode<EnvironmentsLiveSubscription, EnvironmentsLiveSubscriptionVariables>;
export const OrgsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Orgs"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"orgs"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"public"}},{"kind":"Field","name":{"kind":"Name","value":"description"}}]}}]}}]} as unknown as DocumentNode<OrgsQuery, OrgsQueryVariables>;
export const SearchDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Search"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"org"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"prefix"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"search"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"org"},"value":{"kind":"Variable","name":{"kind":"Name","value":"org"}}},{"kind":"Argument","name":{"kind":"Name","value":"prefix"},"value":{"kind":"Variable","name":{"kind":"Name","value":"prefix"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"prefix"}},{"kind":"Field","name":{"kind":"Name","value":"commits"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sha"}},{"kind":"Field","name":{"kind":"Name","value":"shortSha"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"author"}}]}},{"kind":"Field","name":{"kind":"Name","value":"fingerprints"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"placements"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"environment"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fromIndex"}},{"kind":"Field","name":{"kind":"Name","value":"toIndex"}},{"kind":"Field","name":{"kind":"Name","value":"running"}}]}}]}}]}}]}}]} as unknown as DocumentNode<SearchQuery, SearchQueryVariables>;
export const SnapshotPageDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"SnapshotPage"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"org"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"env"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"index"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"environment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"org"},"value":{"kind":"Variable","name":{"kind":"Name","value":"org"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"env"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"latestIndex"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"index"},"value":{"kind":"Variable","name":{"kind":"Name","value":"index"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"reportedAt"}},{"kind":"Field","name":{"kind":"Name","value":"compliant"}},{"kind":"Field","name":{"kind":"Name","value":"policyEvaluation"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"compliant"}},{"kind":"Field","name":{"kind":"Name","value":"nonCompliantTotal"}},{"kind":"Field","name":{"kind":"Name","value":"policies"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"running"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"instances"}},{"kind":"Field","name":{"kind":"Name","value":"sinceIndex"}},{"kind":"Field","name":{"kind":"Name","value":"since"}},{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"state"}},{"kind":"Field","name":{"kind":"Name","value":"buildUrl"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"commit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sha"}},{"kind":"Field","name":{"kind":"Name","value":"shortSha"}},{"kind":"Field","name":{"kind":"Name","value":"message"}},{"kind":"Field","name":{"kind":"Name","value":"author"}},{"kind":"Field","name":{"kind":"Name","value":"url"}}]}}]}}]}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"environments"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"org"},"value":{"kind":"Variable","name":{"kind":"Name","value":"org"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"100"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<SnapshotPageQuery, SnapshotPageQueryVariables>;
export const TimelineDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Timeline"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"org"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"env"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"last"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"before"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"interval"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"since"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"until"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"DateTime"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"flow"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"events"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"liveCursor"}},{"kind":"Field","name":{"kind":"Name","value":"environment"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"org"},"value":{"kind":"Variable","name":{"kind":"Name","value":"org"}}},{"kind":"Argument","name":{"kind":"Name","value":"name"},"value":{"kind":"Variable","name":{"kind":"Name","value":"env"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"latestIndex"}},{"kind":"Field","name":{"kind":"Name","value":"snapshots"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}},{"kind":"Argument","name":{"kind":"Name","value":"last"},"value":{"kind":"Variable","name":{"kind":"Name","value":"last"}}},{"kind":"Argument","name":{"kind":"Name","value":"before"},"value":{"kind":"Variable","name":{"kind":"Name","value":"before"}}},{"kind":"Argument","name":{"kind":"Name","value":"interval"},"value":{"kind":"Variable","name":{"kind":"Name","value":"interval"}}},{"kind":"Argument","name":{"kind":"Name","value":"since"},"value":{"kind":"Variable","name":{"kind":"Name","value":"since"}}},{"kind":"Argument","name":{"kind":"Name","value":"until"},"value":{"kind":"Variable","name":{"kind":"Name","value":"until"}}},{"kind":"Argument","name":{"kind":"Name","value":"flow"},"value":{"kind":"Variable","name":{"kind":"Name","value":"flow"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"hasPreviousPage"}},{"kind":"Field","name":{"kind":"Name","value":"startCursor"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}},{"kind":"Field","name":{"kind":"Name","value":"reportedAt"}},{"kind":"Field","name":{"kind":"Name","value":"events"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"events"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"type"}},{"kind":"Field","name":{"kind":"Name","value":"description"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"findings"}},{"kind":"Field","name":{"kind":"Name","value":"artifacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"fingerprint"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"commit"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"sha"}},{"kind":"Field","name":{"kind":"Name","value":"shortSha"}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"deployments"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"number"}},{"kind":"Field","name":{"kind":"Name","value":"flow"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<TimelineQuery, TimelineQueryVariables>;
export const TimelineLiveDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"TimelineLive"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"org"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"env"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"snapshotReported"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"org"},"value":{"kind":"Variable","name":{"kind":"Name","value":"org"}}},{"kind":"Argument","name":{"kind":"Name","value":"environment"},"value":{"kind":"Variable","name":{"kind":"Name","value":"env"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"snapshot"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"index"}}]}}]}}]}}]} as unknown as DocumentNode<TimelineLiveSubscription, TimelineLiveSubscriptionVariables>;