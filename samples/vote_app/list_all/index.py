"""Every document of a collection, read 100 at a time (a cloud function reads at most 100 per
``get``): ported from index.js (Levy-99/lostAndFound, getdata). An empty collection makes the
``reduce`` throw, as in the original."""

import asyncio
import math
from functools import reduce

import cloud

cloud.init()
db = cloud.database()
MAX_LIMIT = 100


async def main(event, context):
    total = (await db.collection("posts").count())["total"]
    batches = math.ceil(total / MAX_LIMIT)
    reads = [db.collection("posts").skip(i * MAX_LIMIT).limit(MAX_LIMIT).get() for i in range(batches)]
    pages = await asyncio.gather(*reads)
    return reduce(lambda acc, cur: {"data": acc["data"] + cur["data"], "errMsg": acc["errMsg"]}, pages)
