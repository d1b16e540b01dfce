"""Which parts of a snapshot a query selects, read from Strawberry's selection: the `running` and `events` pages
(their arguments) and whether their items' artifacts, deployments or the snapshot's compliance are asked for. The
snapshot is then read once, with only those parts — and the fields below it find them there."""

from __future__ import annotations

from collections.abc import Iterable

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from tracegraph.errors import InvalidInput, TracegraphError
from tracegraph.graph.selectors import parse_number
from tracegraph.graph.windows import SnapshotParts, Window
from tracegraph.resolvers.paging import PageArgs, page_args

RUNNING_CURSOR = "running"
EVENT_CURSOR = "event"
# Fields of a running item or an event that need its provenance (the builds of its fingerprint).
_NEEDS_PROVENANCE = frozenset({"artifacts", "hasProvenance"})

# The running item's field showing its instances detail (read only when selected).
INSTANCES_FIELD = "instanceDetails"

BARE = SnapshotParts(running=None, events=None, provenance=False, deployments=False, compliance=False)


def window_of(args: PageArgs) -> Window:
    """The store window for a page: one item more than asked, to tell whether another page follows."""
    key = args.cursor
    if key is not None and (len(key) != 2 or not all(isinstance(part, str) for part in key)):
        raise InvalidInput("after" if args.forward else "before", "is not a cursor returned by this connection")
    return Window(limit=args.size + 1, key=(key[0], key[1]) if key else None, backward=not args.forward)


def fields(selections: Iterable[Selection]) -> list[SelectedField]:
    """The fields selected, through fragments."""
    found: list[SelectedField] = []
    for selection in selections:
        if isinstance(selection, SelectedField):
            found.append(selection)
        elif isinstance(selection, InlineFragment | FragmentSpread):
            found.extend(fields(selection.selections))
    return found


def child(selections: Iterable[Selection], name: str) -> SelectedField | None:
    return next((field for field in fields(selections) if field.name == name), None)


def item_fields(connection: Selection) -> set[str]:
    """Names selected on a connection's items, under `nodes` or `edges { node }`."""
    return {field.name for item in _items(connection) for field in fields(item.selections)}


def _page_args(kind: str, field: SelectedField) -> PageArgs:
    arguments = field.arguments

    def number(name: str) -> int | None:
        value = arguments.get(name)
        # Literal arguments arrive as their source text; variables as values.
        parsed = parse_number(value) if isinstance(value, str) else value
        if parsed is not None and not isinstance(parsed, int):
            raise TracegraphError(f"{name} is not a number")
        return parsed

    def text(name: str) -> str | None:
        value = arguments.get(name)
        if value is not None and not isinstance(value, str):
            raise TracegraphError(f"{name} is not a string")
        return value

    return page_args(kind, first=number("first"), after=text("after"), last=number("last"), before=text("before"))


def _window(kind: str, field: SelectedField | None) -> Window | None:
    if field is None:
        return None
    try:
        return window_of(_page_args(kind, field))
    except TracegraphError:
        return None  # the field itself reports its bad arguments when it resolves


def snapshot_parts(snapshot: Selection) -> SnapshotParts:
    """The parts the fields selected under one `snapshot` field need."""
    running = child(snapshot.selections, "running")
    events = child(snapshot.selections, "events")
    event_fields = item_fields(events) if events else set()
    running_fields = item_fields(running) if running else set()
    return SnapshotParts(
        running=_window(RUNNING_CURSOR, running),
        events=_window(EVENT_CURSOR, events),
        provenance=bool(_NEEDS_PROVENANCE & (running_fields | event_fields)),
        deployments="deployments" in event_fields,
        compliance=child(snapshot.selections, "compliant") is not None,
        instances=INSTANCES_FIELD in running_fields,
    )


def log_details(snapshots: Selection) -> tuple[bool, bool]:
    """Whether a log page's events need their artifacts, and their deployments (read from `snapshots { … }`)."""
    wanted: set[str] = set()
    for snapshot in _items(snapshots):
        for events in (field for field in fields(snapshot.selections) if field.name == "events"):
            wanted |= item_fields(events)
    return bool(_NEEDS_PROVENANCE & wanted), "deployments" in wanted


def _items(connection: Selection) -> list[SelectedField]:
    """A connection's item selections: `nodes` and `edges { node }`."""
    found: list[SelectedField] = []
    for field in fields(connection.selections):
        if field.name == "nodes":
            found.append(field)
        elif field.name == "edges":
            found.extend(item for item in fields(field.selections) if item.name == "node")
    return found


def diff_needs_provenance(diff: Selection) -> bool:
    """Whether a diff's selected items (in any of its lists, or a scaled pair's sides) show their provenance."""
    wanted: set[str] = set()
    for field in fields(diff.selections):
        if field.name == "scaled":
            for pair_side in fields(field.selections):
                wanted |= {item.name for item in fields(pair_side.selections)}
        else:
            wanted |= {item.name for item in fields(field.selections)}
    return bool(_NEEDS_PROVENANCE & wanted)
