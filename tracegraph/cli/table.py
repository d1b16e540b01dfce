"""Column layout like Go's tabwriter (which Kosli's CLI uses), drawn by Rich: no borders, each column as wide as its
widest cell plus two spaces, cells never wrapped, trailing spaces trimmed — so output lines up with the tutorial's."""

from __future__ import annotations

from collections.abc import Sequence

PADDING = 2


def render(rows: Sequence[Sequence[str]], *, padding: int = PADDING) -> str:
    """Rows of plain-text cells (no Rich markup is interpreted) → aligned lines."""
    if not rows:
        return ""
    # Imported here: Rich costs a tenth of a second, which commands printing JSON or one line need not pay.
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    layout = Table(box=None, show_header=False, show_edge=False, pad_edge=False, padding=(0, padding, 0, 0))
    for _ in range(max(len(row) for row in rows)):
        layout.add_column(no_wrap=True, overflow="ignore")
    for row in rows:
        layout.add_row(*(Text(cell) for cell in row))
    console = Console(width=1_000_000, color_system=None, highlight=False, emoji=False, markup=False)
    with console.capture() as captured:
        console.print(layout)
    return "\n".join(line.rstrip() for line in captured.get().splitlines())
