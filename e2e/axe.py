"""axe-core in the browser journeys: the serious and critical violations on a page, in words."""

from axe_playwright_python.sync_playwright import Axe

SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    """Each serious or critical violation axe finds on the page, with where it is."""
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']}"
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in SERIOUS
        for node in violation["nodes"]
    ]
