"""``in`` on integer columns, with values no such column can hold left out (registered by
``CoreConfig.ready``).

Django's own ``exact``, ``gt`` and ``lt`` on an integer field already treat a value past the
column's range as matching nothing (``IntegerFieldOverflow``); its ``in`` passes the value to
the database. SQLite's driver then raises ``OverflowError`` for an integer past 64 bits, so a
form posting ``genres=99999999999999999999`` (a ``ModelMultipleChoiceField`` checks its choices
with ``pk__in``) answered a 500 on the embedded database instead of "not on our list".
"""

from typing import Any

from django.db.models import IntegerField
from django.db.models.lookups import In


class IntegerFieldIn(In):
    def process_rhs(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(
                self.lhs.output_field.get_internal_type()
            )
            # Out of range, a value equals no row; an empty list is Django's EmptyResultSet.
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
