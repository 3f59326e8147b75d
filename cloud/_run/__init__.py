"""A cloud function's folder (its config, permissions, time limit and modules) and the ways to run
one: ``python -m cloud run`` (:mod:`.cli`) and the testing kit's messages."""
