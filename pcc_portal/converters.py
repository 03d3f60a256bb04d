class IsoDateConverter:
    """A date in a URL as 2021-10-12 (checked to be a real date by the view)."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)
