"""Rasa custom actions: thin adapters between the dialogue and the pure modules.

rasa_sdk imports every module of this package and registers the actions it finds. Nothing here
opens a database or reads a file at import time; `wiring` builds those on first use.
"""
from bot.quiet_logs import quiet_http_client_logs

# The action server's main is rasa_sdk's; importing the actions is the first code of ours it runs.
quiet_http_client_logs()
