"""Funding's permission names, declared once. Roles grant them (pcc_portal.roles); views
check them."""

ADD_ORGANISATION = "funding.add_organisation"
CHANGE_ORGANISATION = "funding.change_organisation"
ADD_FUND = "funding.add_fund"
CHANGE_FUND = "funding.change_fund"
ADD_AWARD = "funding.add_award"
CHANGE_AWARD = "funding.change_award"
