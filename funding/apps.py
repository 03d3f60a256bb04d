from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding"

    def ready(self) -> None:
        from funding.selectors import priority_funding
        from plan.extensions import register_priority_section

        register_priority_section(priority_funding)
