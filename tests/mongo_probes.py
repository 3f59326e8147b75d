"""Probes of MongoDB's document semantics, each with the answer MongoDB's manual gives: queries on
arrays and embedded documents, sort orders across types, projections, updates (positional forms,
``$push`` modifiers), aggregation stages and expressions. CloudBase's document database is
MongoDB-based, so the emulator must answer each as MongoDB does.

Each probe runs over its collection (``docs``; ``other`` is a second collection, for ``$lookup``):
- ``find``: ``(filter, sort, projection)``; the answer is the documents (or their ``_id`` s, ``ids``);
- ``update``: ``(filter, update)`` on every matching document; the answer is the whole collection
  afterwards, or ``ERROR`` when MongoDB refuses the update;
- ``aggregate``: the pipeline; the answer is its output, or ``ERROR``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

ERROR = "error"

BASE: list[dict[str, Any]] = [
    {
        "_id": "a",
        "n": 1,
        "arr": [1, 2, 3],
        "objs": [{"x": 1, "y": 1}, {"x": 2}],
        "s": "apple",
        "t": None,
        "sub": {"b": 1, "c": 2},
    },
    {"_id": "b", "n": 5, "arr": [4, 5], "objs": [{"x": 3, "y": 2}], "s": "Banana", "sub": {"b": 2}},
    {"_id": "c", "n": "5", "arr": [], "s": "cherry", "t": 3},
    {"_id": "d", "n": 2.5, "arr": 7, "objs": [], "s": "date"},
]

ORDERS: list[dict[str, Any]] = [
    {"_id": "o1", "item": "a", "qty": 2, "price": 10, "tags": ["x", "y"]},
    {"_id": "o2", "item": "b", "qty": 1, "price": 20, "tags": []},
    {"_id": "o3", "item": "a", "qty": 5, "price": 10},
    {"_id": "o4", "item": "c", "price": 5, "tags": ["x"]},
]
ITEMS: list[dict[str, Any]] = [
    {"_id": "i1", "name": "a", "cat": "fruit"},
    {"_id": "i2", "name": "b", "cat": "veg"},
]

D1 = dt.datetime(2024, 3, 5, 6, 7, 8, tzinfo=dt.timezone.utc)
D2 = dt.datetime(2023, 12, 31, 23, 0, 0, tzinfo=dt.timezone.utc)
DATES: list[dict[str, Any]] = [{"_id": "x", "d": D1}, {"_id": "y", "d": D2}]
MIXED: list[dict[str, Any]] = [
    {"_id": "bool", "v": True},
    {"_id": "str", "v": "a"},
    {"_id": "num", "v": 1},
    {"_id": "null", "v": None},
    {"_id": "obj", "v": {"k": 1}},
    {"_id": "date", "v": D2},
]


@dataclass(frozen=True)
class Probe:
    name: str
    kind: str  # "find", "update" or "aggregate"
    op: Any
    want: Any
    docs: list[dict[str, Any]] = field(default_factory=lambda: BASE)
    ids: bool = False  # compare the ``_id`` s only
    other: list[dict[str, Any]] = field(default_factory=lambda: ITEMS)


def _q(name: str, where: dict[str, Any], ids: list[str], docs: list[dict[str, Any]] = BASE) -> Probe:
    return Probe(name, "find", (where, None, None), ids, docs, ids=True)


def _sort(name: str, order: dict[str, int], ids: list[str], docs: list[dict[str, Any]] = BASE) -> Probe:
    return Probe(name, "find", ({}, order, None), ids, docs, ids=True)


def _proj(name: str, where: dict[str, Any], shown: dict[str, Any], want: list[dict[str, Any]]) -> Probe:
    return Probe(name, "find", (where, None, shown), want)


def _upd(name: str, where: dict[str, Any], change: dict[str, Any], want: Any, docs: Any = None) -> Probe:
    return Probe(name, "update", (where, change), want, docs or BASE)


def _agg(name: str, pipeline: list[dict[str, Any]], want: Any, docs: Any = None) -> Probe:
    return Probe(name, "aggregate", pipeline, want, docs or ORDERS)


def _changed(doc_id: str, **fields: Any) -> list[dict[str, Any]]:
    """BASE with document ``doc_id``'s ``fields`` replaced (a value of ``...`` removes the field)."""
    out = []
    for doc in BASE:
        if doc["_id"] == doc_id:
            doc = {**doc, **fields}
            doc = {k: v for k, v in doc.items() if v is not ...}
        out.append(doc)
    return out


MOD = [{"_id": "p", "n": 7}, {"_id": "q", "n": 8}, {"_id": "r", "n": -7}]
FLAGS = [{"_id": "t", "flag": True}, {"_id": "one", "flag": 1}]

# fmt: off
QUERIES = [
    _q("query: a field of objects in an array", {"objs.x": 3}, ["b"]),
    _q("query: an index then a field", {"objs.1.x": 2}, ["a"]),
    _q("query: an array holding a value", {"arr": 2}, ["a"]),
    _q("query: an array equal to an array", {"arr": [4, 5]}, ["b"]),
    _q("query: $gt over an array's elements", {"arr": {"$gt": 4}}, ["b", "d"]),
    _q("query: $elemMatch on values", {"arr": {"$elemMatch": {"$gt": 1, "$lt": 3}}}, ["a"]),
    _q("query: null matches null and missing", {"t": None}, ["a", "b", "d"]),
    _q("query: $exists false", {"t": {"$exists": False}}, ["b", "d"]),
    _q("query: $ne null", {"t": {"$ne": None}}, ["c"]),
    _q("query: $ne across types", {"n": {"$ne": 5}}, ["a", "c", "d"]),
    _q("query: $nin", {"n": {"$nin": [1, 5]}}, ["c", "d"]),
    _q("query: $in with null", {"t": {"$in": [None, 3]}}, ["a", "b", "c", "d"]),
    _q("query: $gt keeps to numbers", {"n": {"$gt": 1}}, ["b", "d"]),
    _q("query: $gte keeps to strings", {"n": {"$gte": "5"}}, ["c"]),
    _q("query: $size", {"arr": {"$size": 2}}, ["b"]),
    _q("query: $size 0", {"arr": {"$size": 0}}, ["c"]),
    _q("query: $all", {"arr": {"$all": [1, 3]}}, ["a"]),
    _q("query: $mod", {"n": {"$mod": [4, 3]}}, ["p"], MOD),
    _q("query: $mod of a negative number truncates", {"n": {"$mod": [4, -3]}}, ["r"], MOD),
    _q("query: a dotted path into an object", {"sub.b": 1}, ["a"]),
    _q("query: $regex with options", {"s": {"$regex": "^b", "$options": "i"}}, ["b"]),
    _q("query: an array index", {"arr.0": 4}, ["b"]),
    _q("query: $or", {"$or": [{"n": 1}, {"t": 3}]}, ["a", "c"]),
    _q("query: $nor", {"$nor": [{"n": 1}, {"t": 3}]}, ["b", "d"]),
    _q("query: $and", {"$and": [{"arr": {"$gt": 1}}, {"n": {"$lt": 3}}]}, ["a", "d"]),
    _q("query: $not holds for other types", {"n": {"$not": {"$gt": 2}}}, ["a", "c"]),
    _q("query: $elemMatch on objects", {"objs": {"$elemMatch": {"x": 1, "y": 1}}}, ["a"]),
    _q("query: $elemMatch needs one element", {"objs": {"$elemMatch": {"x": 2, "y": 1}}}, []),
    _q("query: two paths into an array, any elements", {"objs.x": 2, "objs.y": 1}, ["a"]),
    _q("query: null on a path into an array", {"objs.y": None, "s": {"$ne": "date"}}, ["a", "c"]),
    _q("query: an integer matches a float", {"n": 1.0}, ["a"]),
    _q("query: 1 does not match true", {"flag": 1}, ["one"], FLAGS),
    _q("query: true does not match 1", {"flag": True}, ["t"], FLAGS),
    _q("query: an embedded document matches exactly", {"sub": {"b": 2}}, ["b"]),
    _q("query: an embedded document with more fields does not", {"sub": {"b": 1}}, []),
    _q("query: $lt over an array", {"arr": {"$lt": 2}}, ["a"]),
    _q("query: a range over an array, any elements", {"arr": {"$gt": 1, "$lt": 2}}, ["a"]),
    _q("query: $in over a path into an array", {"objs.x": {"$in": [2, 3]}}, ["a", "b"]),
    _q("query: $exists on an array", {"arr": {"$exists": True}}, ["a", "b", "c", "d"]),
    _q("query: $nin of a missing field", {"zz": {"$nin": [1]}}, ["a", "b", "c", "d"]),
    _q("query: $size of an array of objects", {"objs": {"$size": 0}}, ["d"]),
    _q("query: dates compare", {"d": {"$gt": D2}}, ["x"], DATES),
    _q("query: $in with a regular expression", {"s": {"$in": [re.compile("^ch"), "date"]}}, ["c", "d"]),
    _q("query: $all of $elemMatch", {"objs": {"$all": [{"$elemMatch": {"x": 3}}]}}, ["b"]),
    _q("query: $not of a regular expression", {"s": {"$not": {"$regex": "a"}}}, ["c"]),
    _q("query: $jsonSchema", {"$jsonSchema": {"required": ["t"], "properties": {"n": {"bsonType": "number"}}}},
       ["a"]),
    _q("query: $jsonSchema with additionalProperties", {"$jsonSchema": {
        "bsonType": "object", "properties": {"_id": {}, "n": {}, "arr": {}, "s": {"minLength": 5}, "t": {},
                                             "objs": {}}, "additionalProperties": False}}, ["c"]),
]

SORTS = [
    _sort("sort: an array ascending by its least element, an empty array first", {"arr": 1}, ["c", "a", "b", "d"]),
    _sort("sort: an array descending by its greatest element", {"arr": -1}, ["d", "b", "a", "c"]),
    _sort("sort: numbers before strings", {"n": 1}, ["a", "d", "b", "c"]),
    _sort("sort: null and missing tie, then the next key", {"t": 1, "_id": -1}, ["d", "b", "a", "c"]),
    _sort("sort: a path into an array descending", {"objs.x": -1, "_id": 1}, ["b", "a", "c", "d"]),
    _sort("sort: across types", {"v": 1}, ["null", "num", "str", "obj", "bool", "date"], MIXED),
    _sort("sort: strings by code point", {"s": 1}, ["b", "a", "c", "d"]),
    _sort("sort: a dotted path", {"sub.b": -1, "_id": 1}, ["b", "a", "c", "d"]),
]

A = BASE[0]
PROJECTIONS = [
    _proj("projection: a field of objects in an array", {"_id": "a"}, {"objs.y": 1},
          [{"_id": "a", "objs": [{"y": 1}, {}]}]),
    _proj("projection: a dotted path", {"_id": "a"}, {"sub.b": 1}, [{"_id": "a", "sub": {"b": 1}}]),
    _proj("projection: excluding a dotted path", {"_id": "a"}, {"sub.b": 0},
          [{k: ({"c": 2} if k == "sub" else v) for k, v in A.items()}]),
    _proj("projection: $slice n", {"_id": "a"}, {"arr": {"$slice": 2}}, [{**A, "arr": [1, 2]}]),
    _proj("projection: $slice -n", {"_id": "a"}, {"arr": {"$slice": -1}}, [{**A, "arr": [3]}]),
    _proj("projection: $slice [skip, n]", {"_id": "a"}, {"arr": {"$slice": [1, 1]}}, [{**A, "arr": [2]}]),
    _proj("projection: _id excluded", {"_id": "a"}, {"_id": 0, "n": 1}, [{"n": 1}]),
    _proj("projection: $elemMatch", {"_id": "a"}, {"objs": {"$elemMatch": {"x": 2}}},
          [{"_id": "a", "objs": [{"x": 2}]}]),
    _proj("projection: a missing field", {"_id": "a"}, {"zz": 1}, [{"_id": "a"}]),
    _proj("projection: a field and a $slice", {"_id": "a"}, {"n": 1, "arr": {"$slice": 1}},
          [{"_id": "a", "n": 1, "arr": [1]}]),
]

UPDATES = [
    _upd("update: $set an array index", {"_id": "a"}, {"$set": {"arr.1": 50}}, _changed("a", arr=[1, 50, 3])),
    _upd("update: $set past the end pads with null", {"_id": "a"}, {"$set": {"arr.4": 9}},
         _changed("a", arr=[1, 2, 3, None, 9])),
    _upd("update: the positional $", {"arr": 2}, {"$set": {"arr.$": 25}}, _changed("a", arr=[1, 25, 3])),
    _upd("update: the positional $ into an object", {"objs.x": 2}, {"$set": {"objs.$.y": 7}},
         _changed("a", objs=[{"x": 1, "y": 1}, {"x": 2, "y": 7}])),
    _upd("update: $[] updates every element", {"_id": "a"}, {"$inc": {"arr.$[]": 10}},
         _changed("a", arr=[11, 12, 13])),
    _upd("update: $push $each $position", {"_id": "a"}, {"$push": {"arr": {"$each": [8, 9], "$position": 0}}},
         _changed("a", arr=[8, 9, 1, 2, 3])),
    _upd("update: $push $each $sort $slice", {"_id": "a"},
         {"$push": {"arr": {"$each": [0, 9], "$sort": 1, "$slice": 3}}}, _changed("a", arr=[0, 1, 2])),
    _upd("update: $push $slice negative", {"_id": "a"}, {"$push": {"arr": {"$each": [4], "$slice": -2}}},
         _changed("a", arr=[3, 4])),
    _upd("update: $push $sort by a field", {"_id": "a"},
         {"$push": {"objs": {"$each": [{"x": 0}], "$sort": {"x": -1}}}},
         _changed("a", objs=[{"x": 2}, {"x": 1, "y": 1}, {"x": 0}])),
    _upd("update: $inc a missing field", {"_id": "a"}, {"$inc": {"new": 2}}, _changed("a", new=2)),
    _upd("update: $mul a missing field", {"_id": "a"}, {"$mul": {"new": 3}}, _changed("a", new=0)),
    _upd("update: $mul", {"_id": "a"}, {"$mul": {"n": 3}}, _changed("a", n=3)),
    _upd("update: $unset an array element leaves null", {"_id": "a"}, {"$unset": {"arr.1": ""}},
         _changed("a", arr=[1, None, 3])),
    _upd("update: $pop first", {"_id": "a"}, {"$pop": {"arr": -1}}, _changed("a", arr=[2, 3])),
    _upd("update: $pop last", {"_id": "a"}, {"$pop": {"arr": 1}}, _changed("a", arr=[1, 2])),
    _upd("update: $pull with a condition", {"_id": "a"}, {"$pull": {"objs": {"x": {"$gte": 2}}}},
         _changed("a", objs=[{"x": 1, "y": 1}])),
    _upd("update: $pull $in", {"_id": "a"}, {"$pull": {"arr": {"$in": [1, 3]}}}, _changed("a", arr=[2])),
    _upd("update: $addToSet $each", {"_id": "a"}, {"$addToSet": {"arr": {"$each": [3, 4, 4]}}},
         _changed("a", arr=[1, 2, 3, 4])),
    _upd("update: $addToSet an equal object", {"_id": "a"}, {"$addToSet": {"objs": {"x": 2}}}, BASE),
    _upd("update: $pullAll", {"_id": "a"}, {"$pullAll": {"arr": [1, 2]}}, _changed("a", arr=[3])),
    _upd("update: $rename a dotted path", {"_id": "a"}, {"$rename": {"sub.b": "sub.z"}},
         _changed("a", sub={"c": 2, "z": 1})),
    _upd("update: $set makes the objects on its path", {"_id": "a"}, {"$set": {"sub.d.e": 1}},
         _changed("a", sub={"b": 1, "c": 2, "d": {"e": 1}})),
    _upd("update: $set into a number is refused", {"_id": "a"}, {"$set": {"n.x": 1}}, ERROR),
    _upd("update: $set an index then a field", {"_id": "a"}, {"$set": {"objs.1.x": 20}},
         _changed("a", objs=[{"x": 1, "y": 1}, {"x": 20}])),
    _upd("update: $inc a string is refused", {"_id": "a"}, {"$inc": {"s": 1}}, ERROR),
    _upd("update: $set a field of an array is refused", {"_id": "a"}, {"$set": {"objs.x": 1}}, ERROR),
    _upd("update: $set _id is refused", {"_id": "a"}, {"$set": {"_id": "z"}}, ERROR),
    _upd("update: $rename onto _id is refused", {"_id": "a"}, {"$rename": {"n": "_id"}}, ERROR),
    _upd("update: $push onto an object is refused", {"_id": "a"}, {"$push": {"sub": 1}}, ERROR),
    _upd("update: $inc makes the objects on its path", {"_id": "a"}, {"$inc": {"m.deep": 1}},
         _changed("a", m={"deep": 1})),
    _upd("update: $min across types", {"_id": "a"}, {"$min": {"s": 1}}, _changed("a", s=1)),
    _upd("update: $max keeps the greater", {"_id": "a"}, {"$max": {"n": 0}}, BASE),
    _upd("update: $unset", {"_id": "a"}, {"$unset": {"t": ""}}, _changed("a", t=...)),
    _upd("update: $bit", {"_id": "a"}, {"$bit": {"n": {"or": 6}}}, _changed("a", n=7)),
    _upd("update: $bit on a string is refused", {"_id": "a"}, {"$bit": {"s": {"and": 1}}}, ERROR),
    _upd("update: $set on every matching document", {"arr": {"$gt": 3}}, {"$set": {"hit": True}},
         [{**d, "hit": True} if d["_id"] in ("b", "d") else d for d in BASE]),
]

LOOKUP = {"from": "items", "localField": "item", "foreignField": "name", "as": "info"}
AGGREGATIONS = [
    _agg("aggregate: $lookup", [{"$lookup": LOOKUP}, {"$project": {"info.cat": 1}}],
         [{"_id": "o1", "info": [{"cat": "fruit"}]}, {"_id": "o2", "info": [{"cat": "veg"}]},
          {"_id": "o3", "info": [{"cat": "fruit"}]}, {"_id": "o4", "info": []}]),
    _agg("aggregate: $lookup with a pipeline",
         [{"$lookup": {"from": "items", "let": {"it": "$item"},
                       "pipeline": [{"$match": {"$expr": {"$eq": ["$name", "$$it"]}}},
                                    {"$project": {"_id": 0, "cat": 1}}],
                       "as": "info"}}, {"$project": {"info": 1}}],
         [{"_id": "o1", "info": [{"cat": "fruit"}]}, {"_id": "o2", "info": [{"cat": "veg"}]},
          {"_id": "o3", "info": [{"cat": "fruit"}]}, {"_id": "o4", "info": []}]),
    _agg("aggregate: $bucket",
         [{"$bucket": {"groupBy": "$price", "boundaries": [0, 10, 30], "default": "other",
                       "output": {"count": {"$sum": 1}}}}],
         [{"_id": 0, "count": 1}, {"_id": 10, "count": 3}]),
    _agg("aggregate: $bucket default", [{"$bucket": {"groupBy": "$price", "boundaries": [0, 10], "default": "other"}}],
         [{"_id": 0, "count": 1}, {"_id": "other", "count": 3}]),
    _agg("aggregate: $bucketAuto", [{"$bucketAuto": {"groupBy": "$price", "buckets": 2}}],
         [{"_id": {"min": 5, "max": 20}, "count": 3}, {"_id": {"min": 20, "max": 20}, "count": 1}]),
    _agg("aggregate: $sortByCount", [{"$sortByCount": "$item"}, {"$sort": {"count": -1, "_id": 1}}],
         [{"_id": "a", "count": 2}, {"_id": "b", "count": 1}, {"_id": "c", "count": 1}]),
    _agg("aggregate: $replaceRoot", [{"$replaceRoot": {"newRoot": {"q": "$qty", "i": "$item"}}}],
         [{"q": 2, "i": "a"}, {"q": 1, "i": "b"}, {"q": 5, "i": "a"}, {"i": "c"}]),
    _agg("aggregate: $sample then $count", [{"$sample": {"size": 2}}, {"$count": "n"}], [{"n": 2}]),
    _agg("aggregate: $addFields with an expression", [{"$addFields": {"total": {"$multiply": ["$qty", "$price"]}}},
                                                      {"$project": {"total": 1}}],
         [{"_id": "o1", "total": 20}, {"_id": "o2", "total": 20}, {"_id": "o3", "total": 50},
          {"_id": "o4", "total": None}]),
    _agg("aggregate: $addFields a dotted path", [{"$match": {"_id": "o1"}}, {"$addFields": {"info.q": "$qty"}},
                                                 {"$project": {"info": 1}}],
         [{"_id": "o1", "info": {"q": 2}}]),
    _agg("aggregate: $unwind keeping empty arrays, with the index",
         [{"$unwind": {"path": "$tags", "preserveNullAndEmptyArrays": True, "includeArrayIndex": "idx"}},
          {"$project": {"tags": 1, "idx": 1}}],
         [{"_id": "o1", "tags": "x", "idx": 0}, {"_id": "o1", "tags": "y", "idx": 1}, {"_id": "o2", "idx": None},
          {"_id": "o3", "idx": None}, {"_id": "o4", "tags": "x", "idx": 0}]),
    _agg("aggregate: $unwind", [{"$unwind": "$tags"}, {"$project": {"tags": 1}}],
         [{"_id": "o1", "tags": "x"}, {"_id": "o1", "tags": "y"}, {"_id": "o4", "tags": "x"}]),
    _agg("aggregate: $group $push leaves out missing values",
         [{"$group": {"_id": "$item", "qtys": {"$push": "$qty"}}}, {"$sort": {"_id": 1}}],
         [{"_id": "a", "qtys": [2, 5]}, {"_id": "b", "qtys": [1]}, {"_id": "c", "qtys": []}]),
    _agg("aggregate: $add with a missing value is null", [{"$project": {"s": {"$add": ["$qty", 1]}}}],
         [{"_id": "o1", "s": 3}, {"_id": "o2", "s": 2}, {"_id": "o3", "s": 6}, {"_id": "o4", "s": None}]),
    _agg("aggregate: $project a dotted path", [{"$project": {"n.b": 1}}],
         [{"_id": "p", "n": {"b": 1}}], [{"_id": "p", "n": {"b": 1, "c": 2}, "m": 1}]),
    _agg("aggregate: $cond", [{"$project": {"_id": 0, "c": {"$cond": [{"$gte": ["$price", 10]}, "hi", "lo"]}}}],
         [{"c": "hi"}, {"c": "hi"}, {"c": "hi"}, {"c": "lo"}]),
    _agg("aggregate: $cond as an object",
         [{"$project": {"_id": 0, "c": {"$cond": {"if": {"$eq": ["$item", "a"]}, "then": 1, "else": 0}}}}],
         [{"c": 1}, {"c": 0}, {"c": 1}, {"c": 0}]),
    _agg("aggregate: $ifNull", [{"$project": {"_id": 0, "q": {"$ifNull": ["$qty", 0]}}}],
         [{"q": 2}, {"q": 1}, {"q": 5}, {"q": 0}]),
    _agg("aggregate: $size", [{"$project": {"_id": 0, "k": {"$size": {"$ifNull": ["$tags", []]}}}}],
         [{"k": 2}, {"k": 0}, {"k": 0}, {"k": 1}]),
    _agg("aggregate: $arrayElemAt", [{"$project": {"f": {"$arrayElemAt": ["$tags", 0]}}}],
         [{"_id": "o1", "f": "x"}, {"_id": "o2"}, {"_id": "o3", "f": None}, {"_id": "o4", "f": "x"}]),
    _agg("aggregate: $filter",
         [{"$project": {"_id": 0, "x": {"$filter": {"input": "$tags", "cond": {"$eq": ["$$this", "x"]}}}}}],
         [{"x": ["x"]}, {"x": []}, {"x": None}, {"x": ["x"]}]),
    _agg("aggregate: $map and $concat",
         [{"$project": {"_id": 0, "m": {"$map": {"input": {"$ifNull": ["$tags", []]}, "as": "t",
                                                 "in": {"$concat": ["$$t", "!"]}}}}}],
         [{"m": ["x!", "y!"]}, {"m": []}, {"m": []}, {"m": ["x!"]}]),
    _agg("aggregate: $toUpper", [{"$project": {"_id": 0, "u": {"$toUpper": "$item"}}}],
         [{"u": "A"}, {"u": "B"}, {"u": "A"}, {"u": "C"}]),
    _agg("aggregate: $concat and $toString",
         [{"$project": {"_id": 0, "c": {"$concat": ["$item", "-", {"$toString": "$price"}]}}}],
         [{"c": "a-10"}, {"c": "b-20"}, {"c": "a-10"}, {"c": "c-5"}]),
    _agg("aggregate: $dateToString", [{"$project": {"_id": 0, "s": {"$dateToString": {"format": "%Y-%m-%d %H:%M",
                                                                                      "date": "$d"}}}}],
         [{"s": "2024-03-05 06:07"}, {"s": "2023-12-31 23:00"}], DATES),
    _agg("aggregate: $year and $month", [{"$project": {"_id": 0, "y": {"$year": "$d"}, "m": {"$month": "$d"}}}],
         [{"y": 2024, "m": 3}, {"y": 2023, "m": 12}], DATES),
    _agg("aggregate: $divide", [{"$project": {"_id": 0, "d": {"$divide": ["$price", 4]}}}],
         [{"d": 2.5}, {"d": 5}, {"d": 2.5}, {"d": 1.25}]),
    _agg("aggregate: $subtract with a missing value",
         [{"$project": {"_id": 0, "d": {"$subtract": ["$price", "$qty"]}}}],
         [{"d": 8}, {"d": 19}, {"d": 5}, {"d": None}]),
    _agg("aggregate: $mod", [{"$project": {"_id": 0, "m": {"$mod": ["$price", 3]}}}],
         [{"m": 1}, {"m": 2}, {"m": 1}, {"m": 2}]),
    _agg("aggregate: $switch",
         [{"$project": {"_id": 0, "w": {"$switch": {"branches": [{"case": {"$lt": ["$price", 10]}, "then": "cheap"}],
                                                    "default": "dear"}}}}],
         [{"w": "dear"}, {"w": "dear"}, {"w": "dear"}, {"w": "cheap"}]),
    _agg("aggregate: $in", [{"$project": {"_id": 0, "i": {"$in": ["x", {"$ifNull": ["$tags", []]}]}}}],
         [{"i": True}, {"i": False}, {"i": False}, {"i": True}]),
    _agg("aggregate: $group accumulators",
         [{"$group": {"_id": None, "avg": {"$avg": "$qty"}, "sum": {"$sum": "$qty"}, "min": {"$min": "$qty"},
                      "max": {"$max": "$qty"}, "n": {"$sum": 1}}}],
         [{"_id": None, "avg": 8 / 3, "sum": 8, "min": 1, "max": 5, "n": 4}]),
    _agg("aggregate: $group by an object", [{"$group": {"_id": {"i": "$item"}, "c": {"$sum": 1}}},
                                            {"$sort": {"_id.i": 1}}],
         [{"_id": {"i": "a"}, "c": 2}, {"_id": {"i": "b"}, "c": 1}, {"_id": {"i": "c"}, "c": 1}]),
    _agg("aggregate: $group $addToSet", [{"$group": {"_id": None, "p": {"$addToSet": "$price"}}},
                                         {"$project": {"_id": 0, "n": {"$size": "$p"}}}],
         [{"n": 3}]),
    _agg("aggregate: $count", [{"$count": "n"}], [{"n": 4}]),
    _agg("aggregate: $skip negative is refused", [{"$skip": -1}], ERROR),
    _agg("aggregate: $limit 0 is refused", [{"$limit": 0}], ERROR),
    _agg("aggregate: $sort then $limit", [{"$sort": {"price": -1, "_id": 1}}, {"$limit": 2}, {"$project": {"_id": 1}}],
         [{"_id": "o2"}, {"_id": "o1"}]),
    _agg("aggregate: $match with $expr",
         [{"$match": {"$expr": {"$gt": ["$price", {"$multiply": ["$qty", 5]}]}}}, {"$project": {"_id": 1}}],
         [{"_id": "o2"}, {"_id": "o4"}]),
    _agg("aggregate: $slice", [{"$project": {"_id": 0, "t": {"$slice": ["$tags", 1]}}}],
         [{"t": ["x"]}, {"t": []}, {"t": None}, {"t": ["x"]}]),
    _agg("aggregate: $literal", [{"$project": {"_id": 0, "one": {"$literal": "$price"}}}, {"$limit": 1}],
         [{"one": "$price"}]),
    _agg("aggregate: $mergeObjects", [{"$match": {"_id": "o1"}},
                                      {"$replaceRoot": {"newRoot": {"$mergeObjects": [{"k": 0, "qty": 9}, "$$ROOT"]}}},
                                      {"$project": {"_id": 0, "k": 1, "qty": 1}}],
         [{"k": 0, "qty": 2}]),
    _agg("aggregate: $sum over an array", [{"$project": {"_id": 0, "s": {"$sum": ["$price", "$qty"]}}}],
         [{"s": 12}, {"s": 21}, {"s": 15}, {"s": 5}]),
    _agg("aggregate: $max over fields", [{"$project": {"_id": 0, "m": {"$max": ["$price", "$qty"]}}}],
         [{"m": 10}, {"m": 20}, {"m": 10}, {"m": 5}]),
]

# fmt: on

PROBES: list[Probe] = [*QUERIES, *SORTS, *PROJECTIONS, *UPDATES, *AGGREGATIONS]
