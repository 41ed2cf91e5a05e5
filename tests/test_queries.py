"""Every SQL file in queries/ holds one statement and declares exactly the parameters it uses."""

import pytest

from spbe.settings import QUERY_DIR
from spbe.store import db
from spbe.store.db import QueryError, parse_query

FILES = sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


@pytest.mark.parametrize("name", FILES)
def test_query_file_parses_and_declares_its_parameters(name):
    q = db.load_query(name)
    assert q.description, f"queries/{name}.sql needs a first line '-- {name}: what it returns'"
    assert q.description.startswith(f"{name}:")


@pytest.mark.parametrize("name", FILES)
def test_query_file_is_valid_sql_on_the_store(name):
    q = db.load_query(name)
    cur = db.connection().cursor()
    # Describe without running: placeholders become nulls of unknown type, the plan must still bind.
    sql = q.sql
    for p in q.params:
        sql = sql.replace(f"${p}", "null")
    cur.execute(f"describe {sql.strip().rstrip(';')}")


def test_parameters_must_match_the_header():
    with pytest.raises(QueryError, match="takes \\['instansi_id'\\]"):
        db.run("index_trend")
    with pytest.raises(QueryError, match="was given \\['instansi_id', 'year'\\]"):
        db.run("index_trend", instansi_id="kota-cilegon", year=2024)


def test_unknown_query_name_is_refused():
    with pytest.raises(QueryError):
        db.run("../secrets")
    with pytest.raises(QueryError):
        db.run("no_such_query")


def test_header_and_body_disagreeing_is_refused():
    with pytest.raises(QueryError, match="declares \\['a'\\] but the statement uses \\['b'\\]"):
        parse_query("x", "-- x: y\n-- params: $a\nselect $b")
    with pytest.raises(QueryError, match="no '-- params:' header"):
        parse_query("x", "select 1")
    with pytest.raises(QueryError, match="more than one statement"):
        parse_query("x", "-- x: y\n-- params: none\nselect 1; select 2")
    # A dollar sign inside a string or comment is not a parameter.
    assert parse_query("x", "-- x: y\n-- params: none\n-- costs $5\nselect '$notparam'").params == ()


def test_results_are_cached_per_store_version_and_copied():
    a = db.run("index_trend", instansi_id="kota-cilegon")
    a.loc[0, "indeks"] = 99
    b = db.run("index_trend", instansi_id="kota-cilegon")
    assert b.loc[0, "indeks"] == 3.23  # 2018, the first year held
