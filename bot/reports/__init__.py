"""What the staff console reports: the intake funnel, the time staff take to answer a handoff,
event registrant lists and the CSV files handed to employers. Pure: no Flask, HTTP or database.

The store fills these values (bot/store/report_queries.py); the console pages only show them.
"""
from __future__ import annotations
