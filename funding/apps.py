from django.apps import AppConfig

from pcc_portal.slots import PRIORITY_PAGE, register


class FundingConfig(AppConfig):
    name = "funding"
    verbose_name = "Funding"

    def ready(self) -> None:
        # Imported here: the selectors import models, which must wait until apps are loaded.
        from funding import permissions as perms
        from funding import totals  # noqa: F401  (keeps the stored totals in step)
        from funding.selectors import priority_funding
        from pcc_portal.transfer import TransferKind, register_kind

        register(PRIORITY_PAGE, priority_funding)
        from funding.searchable import AWARDS, FUNDS, ORGANISATIONS
        from pcc_portal.searchable import register_search_kind

        for kind in (AWARDS, FUNDS, ORGANISATIONS):
            register_search_kind(kind)
        # Spreadsheet import and export (pcc_portal.transfer); resources in funding/resources.py.
        for key, label, resource, permissions, position, hint, list_url in [
            (
                "organisations",
                "Organisations",
                "OrganisationResource",
                (perms.ADD_ORGANISATION, perms.CHANGE_ORGANISATION),
                40,
                "One row an organisation, matched by its identifier, or its name if it has none.",
                "funding:organisations",
            ),
            (
                "funds",
                "Funds",
                "FundResource",
                (perms.ADD_FUND, perms.CHANGE_FUND),
                50,
                "One row a fund, matched by its web address name (slug).",
                "funding:summary",
            ),
            (
                "awards",
                "Awards",
                "AwardResource",
                (perms.ADD_AWARD, perms.CHANGE_AWARD),
                60,
                "One row an award or bid, matched by its 360Giving grant identifier "
                "(identifier); blank for a new one, which the portal gives an identifier.",
                "funding:awards",
            ),
        ]:
            register_kind(
                TransferKind(
                    key=key,
                    label=label,
                    resource=f"funding.resources.{resource}",
                    permissions=permissions,
                    position=position,
                    hint=hint,
                    list_url=list_url,
                    public=True,  # no drafts: public once written, so approvers confirm
                )
            )
