"""A booking's state and money never change without a BookingEvent (issue 10 point 9),
enforced by PostgreSQL rather than by convention.

Every change goes through ``bookings.services``, which records one ``BookingEvent`` per status
change; this makes the rule hold for everything else too (a shell, a data fix, a future
service that forgets): an UPDATE of a booking that changes its status or any money column
(price, currency, deposit, cancellation terms, payment) fails at COMMIT unless the same
transaction also inserted an event of that booking whose ``to_status`` is the booking's status
at commit.

How: inserting an event notes ``<booking>:<to_status>`` in a transaction-local setting
(``set_config(..., true)``: gone at commit or rollback, and undone with a rolled-back
savepoint, so a note never outlives its event); a deferred constraint trigger on the booking
checks the note at commit. Deferred, because the services save the booking before its event,
and because only the final state of the transaction matters. Tests, which never commit, run
the check on demand with ``SET CONSTRAINTS bookings_require_event IMMEDIATE``.

The one way around it is explicit: ``SET mylabel.unchecked_booking_writes = on`` on the
connection. Only the test suite does that (tests/conftest.py: its fixtures put bookings into
states directly, and Django checks deferred constraints after each test);
tests/security/test_booking_audit.py switches it off again to test the rule.

Not covered: INSERTs (a booking is created with its first event by ``request_booking``, and
fixtures create bookings in any state directly) and the payment's own rows (refunds change
``payments_payment``, which knows nothing of bookings by design). SQLite has no such triggers;
there the services remain the only writer, and tests/security/test_booking_audit.py checks it.
"""

from django.db import migrations

from mylabel.core.migration_operations import PostgresOnlySQL

NOTE_EVENT = """
CREATE FUNCTION bookings_note_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config(
        'mylabel.booking_events',
        coalesce(current_setting('mylabel.booking_events', true), '')
            || NEW.booking_id || ':' || NEW.to_status || ',',
        true
    );
    RETURN NULL;
END
$$;
CREATE TRIGGER bookings_note_event AFTER INSERT ON bookings_bookingevent
    FOR EACH ROW EXECUTE FUNCTION bookings_note_event();
"""

REQUIRE_EVENT = """
CREATE FUNCTION bookings_require_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    final_status text;
BEGIN
    IF current_setting('mylabel.unchecked_booking_writes', true) = 'on' THEN
        RETURN NULL;  -- the test suite's fixtures, which set up states directly
    END IF;
    SELECT status INTO final_status FROM bookings_booking WHERE id = NEW.id;
    IF NOT FOUND THEN
        RETURN NULL;  -- deleted in the same transaction
    END IF;
    IF position(
        ',' || NEW.id || ':' || final_status || ','
        IN ',' || coalesce(current_setting('mylabel.booking_events', true), '')
    ) = 0 THEN
        RAISE EXCEPTION
            'booking % changed its status or money without a booking event', NEW.id
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'bookings_require_event',
                  HINT = 'Change bookings through mylabel.bookings.services.';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER bookings_require_event AFTER UPDATE ON bookings_booking
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (
        OLD.status IS DISTINCT FROM NEW.status
        OR OLD.price IS DISTINCT FROM NEW.price
        OR OLD.currency IS DISTINCT FROM NEW.currency
        OR OLD.deposit_percent IS DISTINCT FROM NEW.deposit_percent
        OR OLD.free_cancellation_hours IS DISTINCT FROM NEW.free_cancellation_hours
        OR OLD.late_cancellation_refund_percent
            IS DISTINCT FROM NEW.late_cancellation_refund_percent
        OR OLD.payment_id IS DISTINCT FROM NEW.payment_id
    )
    EXECUTE FUNCTION bookings_require_event();
"""


class Migration(migrations.Migration):
    dependencies = [("bookings", "0002_no_overlapping_bookings")]
    operations = [
        PostgresOnlySQL(
            NOTE_EVENT,
            "DROP TRIGGER IF EXISTS bookings_note_event ON bookings_bookingevent;"
            "DROP FUNCTION IF EXISTS bookings_note_event();",
        ),
        PostgresOnlySQL(
            REQUIRE_EVENT,
            "DROP TRIGGER IF EXISTS bookings_require_event ON bookings_booking;"
            "DROP FUNCTION IF EXISTS bookings_require_event();",
        ),
    ]
