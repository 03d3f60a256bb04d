"""The base layout: landmarks, navigation, security headers and the strict CSP."""

import itertools

import pytest

from conftest import force_login_verified
from tests.helpers import ROLES, soup


@pytest.fixture
def office(db):
    from django.core.management import call_command

    call_command("loaddata", "fixtures/010_office_profile.json", verbosity=0)


PAGES = ["/", "/accessibility/", "/privacy/", "/accounts/login/"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_the_landmarks_and_a_skip_link_to_main(client, office, path):
    page = soup(client.get(path))
    assert page.html["lang"] == "en-GB"
    skip = page.find("a", class_="govuk-skip-link")
    assert skip["href"] == "#main-content"
    assert page.body.find("a") is skip, "the skip link is the first link on the page"
    assert page.find("main")["id"] == "main-content"
    assert page.find("header") is not None
    assert page.find("footer") is not None
    assert len(page.find_all("h1")) == 1
    assert page.title.text.strip().endswith("Lancashire Police and Crime Panel portal")


@pytest.mark.parametrize("path", PAGES)
def test_headings_do_not_skip_a_level(client, office, path):
    levels = [int(h.name[1]) for h in soup(client.get(path)).find_all(["h1", "h2", "h3", "h4"])]
    main_levels = levels[levels.index(1) :]
    for before, after in itertools.pairwise(main_levels):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after} on {path}"


def test_header_and_footer_show_the_office_from_its_profile(client, office):
    page = soup(client.get("/"))
    assert "Office of the Police and Crime Commissioner for Lancashire" in page.header.text
    footer = page.footer
    assert footer.find("a", string="Accessibility statement")["href"] == "/accessibility/"
    assert footer.find("a", string="Privacy notice")["href"] == "/privacy/"
    assert "PO Box 100, County Hall, Preston, PR1 0LD" in footer.text
    assert "01772 533587" in footer.text


def test_layout_works_before_any_office_profile_is_loaded(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "Office of the Police and Crime Commissioner" in soup(response).header.text


@pytest.mark.parametrize("path", PAGES)
def test_pages_have_no_inline_script_or_style(client, office, path):
    page = soup(client.get(path))
    for script in page.find_all("script"):
        assert script.get("src"), f"inline script on {path}: {script}"
    assert page.find("style") is None
    assert page.find(attrs={"style": True}) is None


def test_strict_content_security_policy_is_sent(client, office):
    policy = client.get("/")["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_security_headers_are_sent(client, office):
    response = client.get("/", secure=True)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.mark.parametrize("role", ROLES)
def test_header_offers_sign_in_or_sign_out_by_role(client_for, office, role):
    header = soup(client_for(role).get("/")).header
    if role == "anonymous":
        assert header.find("a", string="Sign in")["href"] == "/accounts/login/"
        assert header.find("form") is None
    else:
        form = header.find("form")
        assert form["action"] == "/accounts/logout/" and form["method"] == "post"
        assert form.find("button").text.strip() == "Sign out"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", "Panel members sign in to read exempt (Part II) items"),
        ("panel member", "including exempt (Part II) items"),
        ("staff", "submit quarterly updates for approval"),
        ("approver", "approving quarterly updates"),
    ],
)
def test_home_page_says_what_each_role_can_do(client_for, office, role, expected):
    response = client_for(role).get("/")
    assert response.status_code == 200
    assert expected in " ".join(soup(response).main.text.split())


def test_home_page_offers_administration_to_superusers_only(client, make_user, office):
    force_login_verified(client, make_user("staff"))
    assert soup(client.get("/")).find("a", href="/admin/") is None
    force_login_verified(client, make_user("none", is_superuser=True, is_staff=True))
    assert soup(client.get("/")).find("a", href="/admin/") is not None


def test_home_page_runs_a_fixed_number_of_queries(
    client_for, office, django_assert_max_num_queries
):
    client = client_for("panel member")
    # One of these asks whether a session without two-factor must still pass it; three are
    # the panel member's tasks (whether a panel member, the next and the last panel meeting).
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_accessibility_statement_says_how_to_ask_for_another_format(client, office):
    main = soup(client.get("/accessibility/")).main.text
    assert "Accessibility statement" in main
    assert "commissioner@lancashire-pcc.gov.uk" in main
    assert "Equality and Human Rights Commission" in main


def test_unknown_page_is_a_404_in_the_portal_layout(client, office):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert soup(response).h1.text == "Page not found"
