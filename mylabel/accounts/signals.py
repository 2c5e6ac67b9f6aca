"""Domain events of the accounts app (DESIGN.md §3: apps below never import the apps above, so
the account's deletion reaches their data through these signals).

Both are sent by ``accounts.deletion.delete_account`` inside its transaction, with ``user=``:

- ``account_deletion_requested``: before anything changes. A receiver refuses the deletion by
  raising ``ValidationError`` with a message fit to show (bookings: one still in progress).
- ``account_deleted``: after the account row is anonymised. Each app clears or hides its own
  personal data of ``user``; an exception rolls the whole deletion back.
"""

from django.dispatch import Signal

account_deletion_requested = Signal()
account_deleted = Signal()
