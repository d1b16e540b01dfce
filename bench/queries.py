"""The GraphQL documents the harness sends: the API issue's `Incident` and `Where` queries verbatim, and one per
other operation, each asking for what a screen showing it would. `Incident` also serves the older snapshot and the
10,000-artifact one; `RUNNING_PAGE` lists a whole running set page by page."""

from __future__ import annotations

# The public contract queries, verbatim from the API issue; the API tests own them.
from tests.api.test_contract_queries import INCIDENT as INCIDENT
from tests.api.test_contract_queries import WHERE as WHERE

# One page of a snapshot's running set, after a cursor: a client listing the whole set asks it page after page.
RUNNING_PAGE = """
query Running($org: String!, $env: String!, $index: Int!, $after: String) {
  environment(org: $org, name: $env) {
    snapshot(index: $index) {
      running(first: 100, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { fingerprint name instances artifacts { flow { name } commit { sha } } }
      }
    }
  }
}
"""

LOG_PAGE = """
query Log($org: String!, $env: String!) {
  environment(org: $org, name: $env) {
    snapshots(first: 15) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        index
        reportedAt
        events(first: 100) {
          totalCount
          nodes {
            type
            description
            fingerprint
            name
            artifacts { name flow { name } commit { sha message author } }
          }
        }
      }
    }
  }
}
"""

SEARCH = """
query Search($org: String!, $prefix: String!) {
  search(org: $org, prefix: $prefix) {
    prefix
    commits { sha message author timestamp }
    fingerprints {
      fingerprint
      artifacts { name flow { name } commit { sha } }
      placements { environment { name } name instances fromIndex toIndex running }
    }
  }
}
"""

DIFF = """
query Diff($org: String!, $from: String!, $to: String!) {
  diff(org: $org, from: $from, to: $to) {
    from { environment { name } snapshot { index } }
    to { environment { name } snapshot { index } }
    onlyInFrom { fingerprint name instances }
    onlyInTo { fingerprint name instances }
    scaled { before { fingerprint instances } after { instances } }
    unchanged { fingerprint name instances }
  }
}
"""

REPORT_SNAPSHOT = """
mutation Report($input: ReportSnapshotInput!) {
  reportSnapshot(input: $input) {
    changed
    snapshot { index reportedAt }
    events { type description fingerprint name }
  }
}
"""
