from plan.periods import QUARTER_SLUG, quarter_from_slug, quarter_slug


class QuarterConverter:
    """A quarter in a URL: 2021-q2 is July to September 2021; 2021-q4 is January to March 2022."""

    regex = QUARTER_SLUG

    def to_python(self, value: str) -> tuple[int, int]:
        return quarter_from_slug(value)

    def to_url(self, value) -> str:
        if isinstance(value, str):
            return value
        return quarter_slug(*value)
