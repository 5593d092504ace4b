"""Adapters: the database and the model backends, behind plain Python interfaces."""
