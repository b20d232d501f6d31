"""Storage behind one small interface: `open_store(path) -> Store`."""

from sitroom.store.sqlite import (
    DB_ENV,
    DEFAULT_DB,
    EVENT_SORTS,
    SCHEMA_VERSION,
    EventFilter,
    Store,
    StoredEvent,
    default_path,
    open_reader,
    open_store,
    text_hash,
)

__all__ = [
    "DB_ENV",
    "DEFAULT_DB",
    "EVENT_SORTS",
    "SCHEMA_VERSION",
    "EventFilter",
    "Store",
    "StoredEvent",
    "default_path",
    "open_reader",
    "open_store",
    "text_hash",
]
