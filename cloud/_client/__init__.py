"""What a user holds: :class:`~.instance.Cloud` (``cloud.init`` and the calls), its namespaces
(``cloud.openapi.<ns>.<api>``), the local platform's seam and the exports not built yet."""
