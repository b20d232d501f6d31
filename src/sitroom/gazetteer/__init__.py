"""Offline place data and lookup (being written)."""

from __future__ import annotations


class Gazetteer:
    pass


def default_gazetteer() -> Gazetteer:
    return Gazetteer()
