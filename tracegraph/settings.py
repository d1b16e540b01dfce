"""Service settings, read once at start-up from `TRACEGRAPH_*` environment variables (or passed in by tests)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "tracegraph"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRACEGRAPH_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir, description="Where the embedded backend keeps its file.")
    neo4j_uri: str | None = Field(default=None, description="Use Neo4j at this URI instead of the embedded store.")
    neo4j_user: str | None = None
    neo4j_password: SecretStr | None = None
    neo4j_database: str | None = None
    neo4j_unavailable_after_seconds: float = Field(
        default=2.0,
        gt=0,
        le=60,
        description="A Neo4j call unanswered this long is checked on a fresh exchange (at most 0.8 s more); the "
        "request answers 503 UNAVAILABLE when that fails too.",
    )
    allow_anonymous_public_reads: bool = Field(
        default=False,
        description="Development only: let requests without a token read public orgs (a warning is logged).",
    )
    # Not `host`/`port`: TRACEGRAPH_HOST is the CLI's server URL, and one shell often sets both.
    listen_host: str = Field(default="127.0.0.1", description="Interface `tracegraph serve` listens on.")
    listen_port: int = Field(default=8000, ge=1, le=65535, description="Port `tracegraph serve` listens on.")
    workers: int = Field(
        default=1,
        ge=1,
        description="Worker processes `tracegraph serve` runs (each with its own store connections and caches).",
    )
    max_connections: int = Field(
        default=1000,
        ge=1,
        description="Open connections (and running requests) each worker of `tracegraph serve` accepts; beyond it "
        "new requests are answered 503 at once. uvicorn has no header timeout: see docs/operations.md.",
    )
    # Bounded on purpose: it is how long a revoked token may keep working.
    token_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        le=300,
        description="How long a checked token is trusted without asking the store again (so a revocation takes "
        "effect within this time); 0 asks the store on every request. Expiry is checked on every request.",
    )

    # GraphQL limits: each one answers a request that exceeds it with a clear error.
    max_query_depth: int = Field(
        default=15, ge=1, description="Deepest nesting of fields in one operation (introspection excluded)."
    )
    max_query_tokens: int = Field(
        default=5_000, ge=1, description="Most lexical tokens in one GraphQL document (values belong in variables)."
    )
    max_aliases: int = Field(default=30, ge=0, description="Most field aliases in one GraphQL document.")
    max_batch_operations: int = Field(
        default=10, ge=1, description="Most operations in one batched HTTP request (a JSON array body)."
    )
    max_evidence_bytes: int = Field(
        default=8 * 1024 * 1024,
        ge=0,
        description="Largest attestation attachment kept (content-addressed under the data directory, evidence/).",
    )
    max_request_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=1024,
        description="Largest HTTP request body; 16 MiB fits a 10,000-artifact snapshot report.",
    )
    max_item_lookups: int = Field(
        default=50,
        ge=1,
        description="Most per-item store calls one request may make where the store answers one item at a time "
        "(an artifact's history, a commit's own artifacts, a snapshot by number); lists themselves batch.",
    )
    max_query_bytes: int = Field(
        default=64 * 1024,
        ge=1024,
        description="Largest GraphQL document (the `query` text) in UTF-8 bytes; values as large as reports travel "
        "in variables, under TRACEGRAPH_MAX_REQUEST_BYTES.",
    )
    query_cache_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=0,
        description="Memory budget of the parsed and validated documents kept across requests (LRU), estimated "
        "from their text and token count; 0 keeps none.",
    )
    query_cache_entries: int = Field(default=256, ge=1, description="Most documents kept (LRU) across requests.")
    metrics_enabled: bool = Field(
        default=False,
        description="Serve Prometheus metrics at /metrics on the main port, without a token (no metric names an "
        "org; docs/operations.md).",
    )
    log_format: Literal["auto", "json", "text"] = Field(
        default="auto",
        description="`tracegraph serve`'s log lines: JSON lines, key=value text, or auto (text on a terminal, JSON "
        "otherwise).",
    )
    deployment_start_window_seconds: float = Field(
        default=600.0,
        ge=0,
        le=30 * 24 * 3600,
        description="How long after a deployment its artifact may take to start running in the environment before "
        "findings call it 'deployed but never started' (and how late a deployment may be reported after a start "
        "and still count for it).",
    )

    # Live: the change feed and GraphQL subscriptions (tracegraph/live/, docs/live.md).
    change_retention_days: float = Field(
        default=7.0,
        gt=0,
        description="How long the change feed keeps changes; a subscription resuming from an older id is refused "
        "(BAD_USER_INPUT naming `after`).",
    )
    feed_poll_seconds: float = Field(
        default=0.2,
        gt=0,
        le=60,
        description="How often each server process reads the change feed for reports written by other processes "
        "(its own reports wake it at once).",
    )
    subscription_queue: int = Field(
        default=100,
        ge=1,
        description="Events buffered per subscription; a client reading slower than that is closed (code 4413).",
    )
    subscription_recheck_seconds: float = Field(
        default=5.0,
        gt=0,
        le=5,
        description="How often a WebSocket's token is checked again with the store (also before an event when the "
        "last check is older): a revoked or expired token's socket closes within this time (code 4401).",
    )
    max_subscriptions_per_token: int = Field(
        default=20, ge=1, description="Subscriptions one token may hold open at once, over all its sockets."
    )
    max_subscriptions_per_process: int = Field(
        default=1000, ge=1, description="Subscriptions one server process holds open at once."
    )
    subscription_idle_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A WebSocket with no subscription for this long is closed (code 4408).",
    )

    # Browser frontends (tracegraph.http.frontends).
    cors_origins: str = Field(
        default="",
        description="Comma-separated origins (scheme://host[:port]) whose browser pages may call the service "
        "(CORS); empty allows none.",
    )
    gzip_minimum_bytes: int = Field(
        default=1024,
        ge=0,
        description="Responses at least this large are gzip-compressed for clients that accept it.",
    )

    def cors_origin_list(self) -> list[str]:
        return [origin.strip().rstrip("/") for origin in self.cors_origins.split(",") if origin.strip()]


def settings_environment(settings: Settings) -> dict[str, str]:
    """The `TRACEGRAPH_*` variables that rebuild `settings` in another process (a uvicorn worker); settings that
    are None are left out, as they were unset."""
    prefix = settings.model_config.get("env_prefix", "")
    dumped = settings.model_dump(mode="json")  # SecretStr dumps masked: its value is taken below
    environment: dict[str, str] = {}
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if value is None:
            continue
        if isinstance(value, SecretStr):
            text = value.get_secret_value()
        else:
            plain = dumped[name]
            # pydantic-settings reads complex values (lists, dicts) and booleans as JSON.
            text = plain if isinstance(plain, str) else json.dumps(plain)
        environment[f"{prefix}{name}".upper()] = text
    return environment
