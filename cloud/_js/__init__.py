"""JavaScript's semantics, each written once: values (``undefined``, ``null``, typeof, truthiness),
JSON as Node writes and reads it, and Node's key case conversion."""
