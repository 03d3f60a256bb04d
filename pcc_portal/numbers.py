from decimal import Decimal


def format_number(value) -> str:
    """A figure as people write it: 1,250 or 12.5 (no trailing zeros); blank for None."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{number:,.0f}"
    return f"{number.normalize():,f}"
