"""tracegraph: what is running where, and which commit put it there."""

__version__ = "0.1.0"
