"""Storage behind one small interface: `open_store(db) -> Store`, where ``db`` is a SQLite file or a
``postgresql://`` URL (`sitroom.store.postgres`)."""

from sitroom.store.backend import is_postgres_url
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
    "is_postgres_url",
    "open_reader",
    "open_store",
    "text_hash",
]
