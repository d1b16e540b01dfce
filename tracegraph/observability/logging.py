"""One log format for tracegraph's records and uvicorn's: JSON lines (for collectors) or key=value text (for
people), each line of a request carrying its request id.

`fields` given as `extra={"fields": {...}}` become keys of the line. Nothing here reads headers or bodies: what a
line holds is what the code logs, and request lines (middleware.py) hold no header but the request id.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

import orjson

from tracegraph.observability.request import current

LogFormat = Literal["auto", "json", "text"]


def resolved_format(chosen: LogFormat, stream: TextIO) -> Literal["json", "text"]:
    """`auto`: text on a terminal, JSON lines otherwise."""
    if chosen != "auto":
        return chosen
    return "text" if stream.isatty() else "json"


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    extra = getattr(record, "fields", None)
    if isinstance(extra, dict):
        fields.update(extra)
    request = current()  # any line logged while a request runs carries its id
    if request is not None:
        fields.setdefault("request_id", request.id)
    return fields


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(_fields(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line, default=str).decode()


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        time = datetime.fromtimestamp(record.created).astimezone().strftime("%H:%M:%S.%f")[:-3]
        parts = [time, f"{record.levelname:<7}", f"{record.name}:", record.getMessage()]
        parts.extend(f"{key}={_text(value)}" for key, value in _fields(record).items())
        text = " ".join(parts)
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


def _text(value: object) -> str:
    text = "-" if value is None else str(value)
    return orjson.dumps(text).decode() if (not text or any(c in text for c in ' "=\n')) else text


def formatter(chosen: LogFormat, stream: TextIO = sys.stderr) -> logging.Formatter:
    return JsonFormatter() if resolved_format(chosen, stream) == "json" else TextFormatter()


def log_config(level: str, chosen: LogFormat) -> dict[str, Any]:
    """A `logging.config.dictConfig` for `tracegraph serve` (uvicorn applies it in every worker): tracegraph's and
    uvicorn's records through one handler in one format. uvicorn's access log is off: the request lines come from
    tracegraph's middleware, with the request id, operation, org and round trips it cannot know."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "tracegraph": {"()": "tracegraph.observability.logging.formatter", "chosen": chosen},
        },
        "handlers": {
            "tracegraph": {"class": "logging.StreamHandler", "formatter": "tracegraph", "stream": "ext://sys.stderr"},
        },
        "loggers": {
            # Their records reach the root handler; uvicorn's default config would give them handlers of their own.
            "uvicorn": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            # Whatever `level` says: the driver's debug lines hold every query's parameters (webhook secrets among
            # them), and httpx's info lines the URL of each webhook delivery (which may carry a receiver's token).
            "neo4j": {"handlers": [], "level": "INFO", "propagate": True},
            "httpx": {"handlers": [], "level": "WARNING", "propagate": True},
            "httpcore": {"handlers": [], "level": "INFO", "propagate": True},
        },
        "root": {"handlers": ["tracegraph"], "level": level.upper()},
    }
