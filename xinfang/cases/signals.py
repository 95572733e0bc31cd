"""What the cases app tells the apps above it, without importing them."""

from django.dispatch import Signal

# Sent inside the registration's transaction once a petition and its petitioners are stored
# (the page, the API, the Excel import): `petition`, `petitioner_ids`. The stability app watches it
# (a watched petitioner's new petition is a rebound; a registration in a protection period breaks
# 零登记). `origin` ("reception:12" or "") says where the registration was opened from and
# `acting_user` who registered: the meetings app links a petition to the leader's reception day.
petition_registered = Signal()

# Sent inside the transaction when the office marks a petition's detected threat a false positive and
# the petition is no longer 扬言: `petition`, `case_cleared` (the case is no longer 扬言 either). A
# warning raised for the threat may close on it.
petition_threat_cleared = Signal()

# Sent inside the transaction of every change to a case once the case, its event (and, on a
# registration, its petition and petitioners) are stored: `case`. The metrics app keeps its count
# tables by it, in the same transaction, so a count never disagrees with the cases it counts.
case_changed = Signal()
