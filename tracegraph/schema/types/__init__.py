"""Output types of the schema, one noun per module."""
