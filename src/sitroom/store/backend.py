"""What `Store` needs of a database: a connection that speaks its SQL, and the few SQL fragments that
differ between SQLite and PostgreSQL (a `Dialect`).

`Store` writes SQLite's SQL (``?`` placeholders, ``with conn:`` transactions, ``rowid`` for
insertion order); a ``sqlite3.Connection`` is a `Connection` as it is, and the PostgreSQL backend
(`sitroom.store.postgres`) wraps psycopg in one that translates. What no translation can bridge
(full-text search, reading a JSON array) is a field of the backend's `Dialect`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol

_POSTGRES_URL = re.compile(r"postgres(?:ql)?://", re.IGNORECASE)


def is_postgres_url(db: object) -> bool:
    """Whether a ``--db`` value names a PostgreSQL database rather than a SQLite file.

    >>> is_postgres_url("postgresql://sitroom@localhost/events"), is_postgres_url("events.db")
    (True, False)
    """
    return isinstance(db, str) and _POSTGRES_URL.match(db) is not None


def display(url: str) -> str:
    """The URL with its password hidden, for messages.

    >>> display("postgresql://sitroom:hunter2@db.example/events?sslmode=require&password=x")
    'postgresql://sitroom:***@db.example/events?sslmode=require&password=***'
    """
    url = re.sub(r"^(\w+://[^/@:]*:)[^/@]*@", r"\1***@", url)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", url)


class Cursor(Protocol):
    """The rows of one statement (tuples)."""

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """The part of ``sqlite3.Connection`` that the store and `sitroom.incidents` use.

    ``with conn:`` is one transaction: committed at the end of the block, rolled back by an exception.
    """

    @property
    def IntegrityError(self) -> type[Exception]: ...

    @property
    def Error(self) -> type[Exception]: ...

    def execute(self, sql: str, parameters: Any = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Cursor: ...

    def commit(self) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Any: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
        /,
    ) -> Any: ...


@dataclass(frozen=True)
class Dialect:
    """The SQL that differs between the backends."""

    name: str
    #: a subquery of the ids of documents whose title or text match its one ``?`` (a `search` value)
    match: str
    #: a user's search words ("drone strike", "Kharkiv OR Kherson") as the parameter of ``match``
    search: Callable[[str], str]
    #: a FROM item giving the claim ids of the event row ``e`` as ``c.value``
    claims: str
    #: the stored text of the document whose id is its one ``?`` (found through an index)
    text: str
    #: stores a document's searchable title and text: parameters (title, text, document id)
    add_text: str
