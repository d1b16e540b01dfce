"""The Neo4j backend: Cypher over the official async driver (production)."""

from tracegraph.graph.neo4j.store import Neo4jStore

__all__ = ["Neo4jStore"]
