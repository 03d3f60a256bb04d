class ReferenceConverter:
    """A decision's reference in a URL, as 2021/014: the financial year and the number."""

    regex = r"[0-9]{4}/[0-9]{3,4}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


class MonthConverter:
    """A month in a URL, as 2021-03. Whether the month exists is the view's to say (a 404)."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        if hasattr(value, "year"):
            return f"{value.year:04d}-{value.month:02d}"
        return str(value)
