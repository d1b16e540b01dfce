"""The HTTP boundary of `/graphql`: what a request must be before anything executes.

- `responses` — the JSON error answer every refusal at this boundary uses.
- `body_limit` — the request-body size cap (413).
- `decoding` — the body as JSON text: media type, charset, UTF-8, nesting.
- `requests` — the decoded payload as GraphQL requests: shape, batch size, query size, valid Unicode.
- `gate` — the ASGI middleware putting these together (and refusing unauthenticated execution).
- `outcome` — when a result answers 503 (the store was unavailable for the whole operation).
- `document_cache`, `documents` — parsing and validation, cached by query text within a byte budget and kept off
  the event loop for large documents.
- `document_limits` — validation rules for depth and aliases that raise errors already coded LIMIT_EXCEEDED.
"""
