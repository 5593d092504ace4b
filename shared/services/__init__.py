"""Service layer: the verbs entrypoints call (request_booking, approve_booking, ...)."""
