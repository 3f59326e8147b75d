"""The call families beside ``openapi``, each a :class:`~cloud._core.flow.Family` of the one flow:
``cloudPay``, ``getOpenData`` and ``getVoIPSign`` (:mod:`.pay`), storage, ``callFunction`` and
the database; :mod:`.common` holds what they share (Node's argument checks, fixed endpoints)."""
