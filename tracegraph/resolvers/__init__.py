"""Thin resolvers: read GraphQL arguments, call the graph layer (only through `GraphStore` and the per-request
loaders), and hand back domain objects for the schema types to shape. No Strawberry types are built here."""
