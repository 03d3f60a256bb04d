from decimal import Decimal


def format_number(value) -> str:
    """A figure as people write it: 1,250 or 12.5 (no trailing zeros); blank for None."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{number:,.0f}"
    return f"{number.normalize():,f}"


def format_money(value) -> str:
    """Pounds as the panel writes them: £1,275,000, or £13,500.50 when there are pence."""
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}£{amount:,.0f}"
    return f"{sign}£{amount:,.2f}"


def format_file_size(size) -> str:
    """A file's size as GOV.UK writes it beside a download: 212 KB, 1.4 MB, 800 bytes."""
    if size is None or size == "":
        return ""
    size = int(size)
    if size < 1024:
        return f"{size} byte{'' if size == 1 else 's'}"
    if size < 1024 * 1024:
        return f"{round(size / 1024):,} KB"
    megabytes = Decimal(size) / (1024 * 1024)
    return f"{megabytes.quantize(Decimal('0.1')).normalize():f} MB"
