"""What the cases app tells the apps above it, without importing them."""

from django.dispatch import Signal

# Sent inside the registration's transaction once a petition and its petitioners are stored
# (the page, the API, the Excel import): `petition`, `petitioner_ids`. The stability app watches it
# (a watched petitioner's new petition is a rebound; a registration in a protection period breaks
# 零登记). `origin` ("reception:12" or "") says where the registration was opened from and
# `acting_user` who registered: the meetings app links a petition to the leader's reception day.
petition_registered = Signal()
