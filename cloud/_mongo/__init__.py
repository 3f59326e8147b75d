"""MongoDB's document semantics, pure (CloudBase's document database is MongoDB-based): BSON order,
queries, updates, projections and aggregation over Python documents. The emulator's store runs them."""
