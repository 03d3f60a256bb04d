import datetime


class IsoDateConverter:
    """A date in a URL as 2021-10-12, given to the view as a date.

    A date that does not exist (2021-02-30, 0000-00-00) matches no URL: "Page not found".
    """

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)  # a ValueError means no match

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, datetime.date) else str(value)
