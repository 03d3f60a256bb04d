"""What a journey costs in a real browser: the page loads and form POSTs it makes."""


def count_traffic(page) -> dict[str, list[str]]:
    """Page loads (the main frame committing a document) and form POSTs, from now on."""
    seen: dict[str, list[str]] = {"loads": [], "posts": []}
    page.on(
        "framenavigated",
        lambda frame: frame == page.main_frame and seen["loads"].append(frame.url),
    )
    page.on(
        "request",
        lambda request: (
            request.is_navigation_request()
            and request.method == "POST"
            and seen["posts"].append(request.url)
        ),
    )
    return seen
