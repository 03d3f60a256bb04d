"""Reading a page's form as a browser would submit it, for tests that post real forms."""

from tests.helpers import soup


def form_values(response, form_index: int | None = None) -> dict:
    """The values a browser would send from a POST form of the page (the one with the most
    fields unless told): text, hidden, checked boxes and radios, selected options, text
    areas; lists for repeated names."""
    forms = [f for f in soup(response).select("main form") if f.get("method", "").lower() == "post"]
    if form_index is None:
        form = max(forms, key=lambda f: len(f.select("input, textarea, select")))
    else:
        form = forms[form_index]
    data: dict = {}

    def add(name, value):
        if name in data:
            data[name] = (
                [*data[name], value] if isinstance(data[name], list) else [data[name], value]
            )
        else:
            data[name] = value

    for field in form.select("input, textarea, select"):
        name = field.get("name")
        if not name or name == "csrfmiddlewaretoken" or field.get("type") in ("submit", "file"):
            continue
        if field.name == "textarea":
            add(name, field.text.lstrip("\n"))
        elif field.name == "select":
            chosen = field.select("option[selected]")
            if field.has_attr("multiple"):
                for option in chosen:
                    add(name, option.get("value", ""))
            else:
                add(name, (chosen or field.select("option") or [{}])[0].get("value", ""))
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                add(name, field.get("value", "on"))
        else:
            add(name, field.get("value", ""))
    return data


def publication_action(client, record, action: str, **extra):
    """Presses a button of a record's publication page as a person would: after opening the
    page (whose buttons carry the revision of the changes it shows), confirming if asked."""
    url = record.get_publication_url()
    page = client.get(url)
    reviewed = "0"
    if page.status_code == 200:
        found = soup(page).select_one("main input[name=reviewed]")
        reviewed = found["value"] if found else "0"
    return client.post(url, {"action": action, "reviewed": reviewed, "confirm": "yes", **extra})
