from urllib.parse import unquote

from django.shortcuts import render


class RefuseNullCharactersMiddleware:
    """Answers 400 to a web address holding a NUL character, before any view reads it.

    No one can type one, and PostgreSQL refuses them in text ("A string literal cannot contain
    NUL"): a view looking up a query parameter would fail with a server error. Posted forms
    refuse them in a message of their own (Django's CharField), so only the address is checked.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = unquote(request.META.get("QUERY_STRING", ""), errors="replace")
        if "\x00" in query or "\x00" in request.path:
            return render(request, "400.html", status=400)
        return self.get_response(request)
