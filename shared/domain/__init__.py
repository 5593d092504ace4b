"""The domain: typed values, pure rules and domain errors. No I/O lives here."""
