"""Database statements: what we send equals what WeChat's database HTTP API documents, and what
the serialiser writes the parser reads back (a property test)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cloud
from cloud._db.parse import ParseError, parse_statement, parse_value
from cloud._db.values import COMMANDS, Command, GeoPoint, RegExp, ServerDate, dumps, statement


def squeeze(text: str) -> str:
    """``text`` without the whitespace outside string literals (the documented examples are indented)."""

    def code(part: str) -> str:  # one space between two words (new Date), none elsewhere
        return re.sub(r"\s+", "", re.sub(r"(?<=\w)\s+(?=\w)", "\0", part)).replace("\0", " ")

    return "".join(part if part.startswith('"') else code(part) for part in re.split(r'("(?:[^"\\]|\\.)*")', text))


@pytest.fixture
def sent() -> tuple[Any, list[dict[str, Any]]]:
    """A blocking database whose requests are captured (each answered with an empty success)."""
    bodies: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        bodies.append({"path": request.url.path, **json.loads(request.content)})
        return httpx.Response(200, json={"errcode": 0, "errmsg": "ok", "id_list": ["x"], "data": []})

    instance = cloud.createNewInstance(
        {"env": "test2-4a89da", "accessToken": "t", "transport": httpx.MockTransport(answer)}
    )
    return instance.sync.database(), bodies


def test_the_documented_examples_are_what_we_send(sent: tuple[Any, list[dict[str, Any]]]) -> None:
    db, bodies = sent
    _ = db.command
    geo = db.collection("geo")
    geo.where({"done": True}).limit(10).skip(1).get()
    item = {"due": dt.date(2019, 9, 9), "tags": ["cloud", "database"], "location": db.Geo.Point(113, 23), "done": False}
    geo.add({"data": [{"description": "item1", **item}, {"description": "item2", **item}]})
    geo.where({"age": 14}).update({"data": {"age": _.inc(1)}})
    geo.doc("56abd6d5-9daf-4fc7-af05-eca13933f1aa").update({"data": {"age": 10}})
    geo.where({"done": False}).remove()
    geo.doc("be62d9c4-43ec-4dc6-8ca1-30b206eeed24").remove()
    geo.where({"done": True}).count()
    db.collection("test_collection").aggregate().match({"tags": "cloud"}).limit(10).end()
    documented = [  # developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-http-api/database/
        ("/tcb/databasequery", 'db.collection("geo").where({done:true}).limit(10).skip(1).get()'),
        (
            "/tcb/databaseadd",
            """db.collection("geo").add({
            data: [{description: "item1", due: new Date("2019-09-09"), tags: ["cloud", "database"],
                    location: new db.Geo.Point(113, 23), done: false},
                   {description: "item2", due: new Date("2019-09-09"), tags: ["cloud", "database"],
                    location: new db.Geo.Point(113, 23), done: false}]})""",
        ),
        ("/tcb/databaseupdate", 'db.collection("geo").where({age:14}).update({data:{age: _.inc(1)}})'),
        (
            "/tcb/databaseupdate",
            'db.collection("geo").doc("56abd6d5-9daf-4fc7-af05-eca13933f1aa").update({data:{age: 10}})',
        ),
        ("/tcb/databasedelete", 'db.collection("geo").where({done:false}).remove()'),
        ("/tcb/databasedelete", 'db.collection("geo").doc("be62d9c4-43ec-4dc6-8ca1-30b206eeed24").remove()'),
        ("/tcb/databasecount", 'db.collection("geo").where({done:true}).count()'),
        (
            "/tcb/databaseaggregate",
            'db.collection("test_collection").aggregate().match({tags:"cloud"}).limit(10).end()',
        ),
    ]
    assert [(b["path"], b["query"]) for b in bodies] == [(path, squeeze(text)) for path, text in documented]
    assert {b["env"] for b in bodies} == {"test2-4a89da"}


def test_each_kind_of_value_in_the_statement_syntax(sent: tuple[Any, list[dict[str, Any]]]) -> None:
    db, bodies = sent
    _ = db.command
    db.collection("c").where(
        {
            "a.b": _.gt(1).and_(_.lt(5)),
            "name": db.RegExp({"regexp": "^mi", "options": "i"}),
            "tag": _["in"](["x", "y"]),
            "at": _.lte(dt.datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=dt.timezone.utc)),
            "n": _.nin([None, 1.5]),
            "ok": _.exists(True),
            "text": 'quote " and 中文',
            "nested": {"x": [1, {"y": False}]},
        }
    ).orderBy("a", "desc").field({"a": True}).get()
    later = db.serverDate({"offset": 1000})
    data = {"when": db.serverDate(), "later": later, "n": _.inc(-2), "tags": _.push(["z"]), "gone": _.remove()}
    db.collection("c").doc("d").update({"data": data})
    assert [b["query"] for b in bodies] == [
        'db.collection("c").where({"a.b":_.gt(1).and(_.lt(5)),name:db.RegExp({regexp:"^mi",options:"i"}),'
        'tag:_.in(["x","y"]),at:_.lte(new Date("2020-01-02T03:04:05.678Z")),n:_.nin([null,1.5]),ok:_.exists(true),'
        'text:"quote \\" and 中文",nested:{x:[1,{y:false}]}}).orderBy("a","desc").field({a:true}).limit(100).get()',
        'db.collection("c").doc("d").update({data:{when:db.serverDate(),later:db.serverDate({offset:1000}),'
        'n:_.inc(-2),tags:_.push(["z"]),gone:_.remove()}})',
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "db",
        "db.collection(",
        'db.collection("a").get(',
        "db.collection(a)",
        "x.y()",
        'db.collection("a").where({a:1,}',
        'db.collection("a").where({a:\u0663}).get()',  # an Arabic-Indic 3: no digit in JavaScript
        'db.collection("a").limit(\uff11).get()',  # a fullwidth 1
    ],
)
def test_the_parser_refuses_what_is_not_a_statement(text: str) -> None:
    with pytest.raises(ParseError):
        parse_statement(text)


_scalars = (
    st.none()
    | st.just(cloud.NULL)
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
    | st.dates(dt.date(1970, 1, 1), dt.date(2100, 1, 1))
    | st.datetimes(dt.datetime(1970, 1, 2), dt.datetime(2100, 1, 1)).map(
        lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000, tzinfo=dt.timezone.utc)
    )
    | st.builds(RegExp, st.text(), st.sampled_from(["", "i", "ims"]))
    | st.builds(GeoPoint, st.floats(-180, 180), st.floats(-90, 90))
    | st.builds(ServerDate, st.integers(-(10**9), 10**9))
)


def _commands(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Command]:
    single = st.builds(Command, st.sampled_from(sorted(COMMANDS)), st.lists(inner, max_size=2).map(tuple))
    return st.builds(Command, st.sampled_from(["and", "or"]), st.lists(inner, max_size=2).map(tuple), single) | single


values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4) | _commands(inner),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_what_the_serialiser_writes_the_parser_reads_back(value: Any) -> None:
    assert parse_value(dumps(value)) == as_sent(value)


def as_sent(value: Any) -> Any:
    """``value`` as a statement carries it: ``None`` object values left out (Node's undefined),
    ``cloud.NULL`` as ``None`` (null)."""
    if value is cloud.NULL:
        return None
    if isinstance(value, dict):
        return {k: as_sent(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [as_sent(v) for v in value]
    if isinstance(value, Command):
        return Command(value.op, tuple(as_sent(a) for a in value.args), as_sent(value.base))
    return value


def test_none_is_undefined_and_null_is_cloud_null() -> None:
    assert dumps({"a": None, "b": cloud.NULL, "c": [None, cloud.NULL]}) == "{b:null,c:[null,null]}"


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1), st.dictionaries(st.text(), values, max_size=3), st.integers(0, 1000))
def test_whole_statements_round_trip(name: str, condition: dict[str, Any], limit: int) -> None:
    calls = [("collection", (name,)), ("where", (condition,)), ("limit", (limit,)), ("get", ())]
    assert parse_statement(statement(calls)) == [("collection", (name,)), ("where", (as_sent(condition),)), *calls[2:]]


def test_the_parser_refuses_deep_nesting_and_reads_long_statements() -> None:
    with pytest.raises(ParseError, match="nested too deeply"):
        parse_value("[" * 5000)
    assert parse_value("[" + ",".join(["1"] * 100_000) + "]  ") == [1] * 100_000
