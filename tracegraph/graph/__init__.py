"""The graph layer: domain models, the GraphStore protocol and its backends."""
