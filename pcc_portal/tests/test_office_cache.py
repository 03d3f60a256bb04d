"""The office profile, which every page shows, is read from the cache and dropped from it
whenever it changes, so that every process shows the change on its next page."""

import pytest
from django.core.cache import cache
from django.core.cache.backends.filebased import FileBasedCache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pcc_portal.models import OfficeProfile
from tests.helpers import soup, text


@pytest.fixture
def office(db):
    call_command("loaddata", "fixtures/010_office_profile.json", verbosity=0)
    return OfficeProfile.objects.get()


def profile_queries(client, path="/") -> tuple[int, str]:
    """How many queries of the page read the office profile, and the page's header."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    read = [q for q in queries.captured_queries if "pcc_portal_officeprofile" in q["sql"]]
    return len(read), text(soup(response).header)


def test_pages_read_the_office_profile_once_then_from_the_cache(client, office):
    assert profile_queries(client, "/")[0] == 1
    assert profile_queries(client, "/")[0] == 0
    assert profile_queries(client, "/accessibility/") == (
        0,
        "Office of the Police and Crime Commissioner for Lancashire Sign in",
    )


def test_a_changed_office_profile_shows_on_the_next_page(client, office):
    profile_queries(client)
    office.office_name = "Office of the Police, Fire and Crime Commissioner for Lancashire"
    office.save()
    reads, header = profile_queries(client)
    assert reads == 1
    assert "Police, Fire and Crime Commissioner for Lancashire" in header


def test_a_deleted_office_profile_gives_way_to_the_placeholder(client, office):
    profile_queries(client)
    office.delete()
    assert "for Lancashire" not in profile_queries(client)[1]


def test_a_profile_loaded_after_pages_showed_the_placeholder_shows_at_once(client, db):
    """The placeholder is never cached: a profile loaded from the fixture (a raw save) shows
    on the next page."""
    assert profile_queries(client)[1] == "Office of the Police and Crime Commissioner Sign in"
    assert profile_queries(client)[0] == 1  # asked again while there is none
    call_command("loaddata", "fixtures/010_office_profile.json", verbosity=0)
    assert "for Lancashire" in profile_queries(client)[1]


def test_the_cached_profile_is_the_saved_one(office):
    OfficeProfile.load()
    cached = OfficeProfile.load()
    assert cached.pk == 1 and not cached._state.adding
    assert [cached.office_name, cached.phone, cached.updated_at] == [
        office.office_name,
        office.phone,
        office.updated_at,
    ]
    assert cached.address_lines == office.address_lines


def test_the_cache_is_dropped_again_once_the_change_commits(
    office, django_capture_on_commit_callbacks
):
    """Another process may read the old profile from the database after the save and before
    the commit, and cache it: the commit drops that too."""
    old = OfficeProfile.load()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        office.phone = "01772 000000"
        office.save()
        assert cache.get(OfficeProfile.cache_key()) is None
        cache.set(OfficeProfile.cache_key(), [getattr(old, f.attname) for f in old._meta.fields])
        assert OfficeProfile.load().phone == old.phone
    for callback in callbacks:
        callback()
    assert OfficeProfile.load().phone == "01772 000000"


def test_another_process_sees_the_change_through_the_shared_cache(office, tmp_path, settings):
    """As in production: every process's cache is the same folder. A second cache object on
    that folder stands for another gunicorn worker."""
    location = str(tmp_path / "cache")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": location,
        }
    }
    other_worker = FileBasedCache(location, {})
    OfficeProfile.load()
    assert other_worker.get(OfficeProfile.cache_key())[0] == 1
    office.panel_name = "Lancashire Police, Fire and Crime Panel"
    office.save()
    assert other_worker.get(OfficeProfile.cache_key()) is None
    assert OfficeProfile.load().service_name == "Lancashire Police, Fire and Crime Panel portal"
    assert other_worker.get(OfficeProfile.cache_key())[0] == 1


def test_pages_show_with_a_cache_folder_that_cannot_be_written(client, office, tmp_path, settings):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(blocked / "cache"),
        }
    }
    assert "for Lancashire" in profile_queries(client)[1]
