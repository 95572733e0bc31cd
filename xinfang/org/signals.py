"""Signals of the organisation, for the apps above it."""

from django.dispatch import Signal

# Sent by town_load inside its transaction, after the organisation is stored: town=Town,
# config=config_schema.TownConfig. An app keeps its own section of the file (scoring its rules).
town_loaded = Signal()
