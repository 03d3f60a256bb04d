"""The search page is valid HTML, as the Nu checker reads it, with results, filters and none."""

import pytest

from plan.tests.test_charts import nu_checker, nu_run
from search.tests.helpers import make_entry

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(nu_checker() is None, reason="the Nu HTML checker is not installed")
def test_the_search_pages_are_valid_html(client, tmp_path):
    for n in range(25):  # two pages of results
        make_entry(kind="paper", key=f"p{n}", title=f"Paragraph {n}", within="Burglary paper",
                   body="Burglary <b>fell</b> in Preston.", url=f"/reports/1/#p{n}",
                   date="2021-05-01")  # fmt: skip
    make_entry(kind="award", title="Street lighting", body="Against burglary.", url="/a/1/",
               date="2022-03-01", priority_ids=(4,))  # fmt: skip
    urls = [
        "/search/",
        "/search/?q=burglary",
        "/search/?q=burglary&kind=paper&page=2",
        "/search/?q=burglary&year=2022",
        "/search/?q=zzzqqq",
        '/search/?q="',
    ]
    files = []
    for n, url in enumerate(urls):
        response = client.get(url)
        assert response.status_code == 200, url
        files.append(tmp_path / f"search-{n}.html")
        files[-1].write_bytes(response.content)
    result = nu_run(*files)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
