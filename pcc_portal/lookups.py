"""Database lookups that stay safe whatever a visitor types."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """`field__in=[...]` leaving out integers the column cannot hold.

    Django already does this for `exact`, `gt`, `lt` and the rest, but not for `in`, so
    SQLite refused to run `pk__in=[99999999999999999999]` (OverflowError) and a multiple
    choice given that number failed with a server error instead of "not one of the
    available choices". No row can hold such a number, so leaving it out changes nothing.
    """

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            kind = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(kind)
            self.rhs = [value for value in self.rhs if _fits(value, low, high)]
        return super().process_rhs(compiler, connection)


def _fits(value, low, high) -> bool:
    if not isinstance(value, int):
        return True  # None and expressions are the lookup's own business
    return (low is None or value >= low) and (high is None or value <= high)
