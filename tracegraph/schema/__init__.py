"""The GraphQL contract: Strawberry types, inputs, enums and the Schema object.

`make_schema(settings)` builds the served schema with its limits; `make_schema()` the same types without limits
(for exporting the SDL to `schema/schema.graphql`).
"""

from tracegraph.schema.build import make_schema, sdl

__all__ = ["make_schema", "sdl"]
