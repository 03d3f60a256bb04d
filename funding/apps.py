from django.apps import AppConfig

from pcc_portal.slots import PRIORITY_PAGE, register


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding"

    def ready(self) -> None:
        # Imported here: the selectors import models, which must wait until apps are loaded.
        from funding.selectors import priority_funding

        register(PRIORITY_PAGE, priority_funding)
