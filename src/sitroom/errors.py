"""Errors that name the input, say what went wrong and what to do next."""

from __future__ import annotations


class SitroomError(Exception):
    """A failure the user can act on: a code, what happened, and the next step."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint

    def __reduce__(self) -> tuple[type[SitroomError], tuple[str, str, str]]:
        # pickled whole, so that an error met in a worker process reaches the main one intact
        return (type(self), (self.code, self.message, self.hint))

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}" + (f"; {self.hint}" if self.hint else "")


class InputError(SitroomError):
    """One input (a file, a JSONL line) cannot be read; others may still be processed."""
