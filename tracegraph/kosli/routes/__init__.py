"""The `/api/v2` routes, one module per resource."""
