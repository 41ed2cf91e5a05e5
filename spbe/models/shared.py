"""Work that does not depend on the focus (a year's ranking of a category, the national restatements, the
instansi names), done once per store version and shared by every view: an unseen view then only slices it.

Keyed on the store version the run reads (db.pinned_version()), so an import, which switches the version,
is seen by the next run; bounded, so old versions and years fall out. The values are shared, never copied:
whoever gets one must not change it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

import pandas as pd

from spbe.core import Ranking, peer_ranking, rank_table
from spbe.store import db


def per_store_version(maxsize: int = 32) -> Callable:
    """Memoise fn(*args) (hashable positional arguments) per store version, the maxsize latest kept."""

    def decorate(fn: Callable) -> Callable:
        cache: OrderedDict = OrderedDict()
        lock = threading.Lock()

        @wraps(fn)
        def memoised(*args):
            key = (db.pinned_version(), *args)
            with lock:
                if key in cache:
                    cache.move_to_end(key)
                    return cache[key]
            value = fn(*args)  # outside the lock: two first callers may both compute, with the same result
            with lock:
                cache[key] = value
                while len(cache) > maxsize:
                    cache.popitem(last=False)
            return value

        memoised.cache_clear = cache.clear
        memoised.cache_len = lambda: len(cache)
        return memoised

    return decorate


# -- rankings shared by every focus of the same peer set -------------------------------------------------------
@per_store_version(maxsize=64)
def _set_ranking(year: int, ids: frozenset) -> Ranking:
    """core.peer_ranking of one year's rows over a peer set, its members in the instansi list's order."""
    return peer_ranking(db.run("index_by_year", year=year), _in_list_order(ids))


@per_store_version(maxsize=4)
def _list_order() -> dict[str, int]:
    return {iid: n for n, iid in enumerate(db.run("instansi_list")["instansi_id"])}


def _in_list_order(ids) -> list[str]:
    order = _list_order()
    return sorted(ids, key=lambda i: (order.get(i, len(order)), i))


def year_ranking(year: int, ids, focus_id: str) -> Ranking:
    """core.peer_ranking(index_by_year rows of year, ids) for a peer set given focus first (core.peer_set).

    Every member of a province or a category gets the same ranking: it is computed once per set. Only the
    order of missing_ids depends on the order of ids; the shared one is used where it is the same (the other
    members in the list's order, as peer_set gives them, and the focus held), else it is computed for this view.
    """
    ids = list(dict.fromkeys(ids))
    shared = _set_ranking(year, frozenset(ids))
    others = [i for i in ids if i != focus_id]
    if ids and ids[0] == focus_id and focus_id not in shared.missing_ids and others == _in_list_order(others):
        return shared
    return peer_ranking(db.run("index_by_year", year=year), ids)


@per_store_version(maxsize=32)
def category_rank_table(year: int, category: str) -> pd.DataFrame:
    """core.rank_table of every instansi of the category with a value that year (the national distribution)."""
    rows = db.run("index_by_year", year=year)
    return rank_table(rows[rows["category"] == category])


@per_store_version(maxsize=4)
def instansi_names() -> dict[str, str]:
    """instansi_id -> name, for every instansi in the store."""
    return db.run("instansi_list").set_index("instansi_id")["instansi_name"].to_dict()


@per_store_version(maxsize=32)
def category_ranking(year: int, category: str) -> Ranking:
    """core.peer_ranking of every instansi of the category (in the list's order) on that year's rows."""
    instansi = db.run("instansi_list")
    return peer_ranking(db.run("index_by_year", year=year), list(instansi.loc[instansi["category"] == category, "instansi_id"]))
