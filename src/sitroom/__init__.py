"""sitroom: news reports in, sourced conflict-event records out."""

from sitroom.model import Record
from sitroom.pipeline import extract

__all__ = ["Record", "extract"]
__version__ = "0.1.0"
