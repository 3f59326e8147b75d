"""One call: the sans-I/O flow (:mod:`.flow`) with its request, response, retry and message rules,
the options it runs with, and the two thin shells that carry out its effects over httpx."""
