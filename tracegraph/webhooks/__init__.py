"""Webhook delivery: signing (`signing`), one HTTP attempt (`sender`) and the per-process dispatcher that follows the
change feed (`dispatcher`). The rules it applies (URLs, plans, retries) are in tracegraph/graph/webhooks.py."""
