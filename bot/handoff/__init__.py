"""Handing a conversation to staff: business hours, priority, team, the SLA clock, routing.

Pure: standard library and PyYAML only, like bot/screening. The store (bot/store/handoff_store.py),
the actions (bot/actions/handoff.py) and the staff console use it.
"""
