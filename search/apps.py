from django.apps import AppConfig

from pcc_portal.signals import demo_loaded


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # Imported here: the index imports models, which must wait until apps are loaded.
        from search.index import index_connect

        # After every app that registers a kind in INSTALLED_APPS, so all have by now.
        index_connect()
        demo_loaded.connect(_demo_index, dispatch_uid="search_index_demo")


def _demo_index(sender, **kwargs) -> str:
    """The demo ends with an index of everything it published (papers and notices included,
    whose receivers registered before this one)."""
    from search.index import search_rebuild

    return f"Indexed {search_rebuild()} search entries."
