"""Rasa custom actions: thin adapters between the dialogue and the pure modules.

rasa_sdk imports every module of this package and registers the actions it finds. Nothing here
opens a database or reads a file at import time; `wiring` builds those on first use.
"""
