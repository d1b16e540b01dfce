"""Column layout like Go's tabwriter (which Kosli's CLI uses): each column as wide as its widest cell plus padding."""

from __future__ import annotations

from collections.abc import Sequence

PADDING = 2


def render(rows: Sequence[Sequence[str]], *, padding: int = PADDING) -> str:
    """Rows of cells → aligned lines; the last column is not padded."""
    if not rows:
        return ""
    columns = max(len(row) for row in rows)
    widths = [max((len(row[i]) for row in rows if i < len(row)), default=0) for i in range(columns)]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[i] + padding) if i < len(row) - 1 else cell for i, cell in enumerate(row)]
        lines.append("".join(cells).rstrip())
    return "\n".join(lines)
