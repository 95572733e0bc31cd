"""What the cases app tells the apps above it, without importing them."""

from django.dispatch import Signal

# Sent inside the registration's transaction once a petition and its petitioners are stored
# (the page, the API, the Excel import): `petition`, `petitioner_ids`. The stability app watches it
# (a watched petitioner's new petition is a rebound; a registration in a protection period breaks
# 零登记).
petition_registered = Signal()

# Sent inside the transaction of every change to a case once the case, its event (and, on a
# registration, its petition and petitioners) are stored: `case`. The metrics app keeps its count
# tables by it, in the same transaction, so a count never disagrees with the cases it counts.
case_changed = Signal()
