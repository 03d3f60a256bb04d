"""Funding's permission names, declared once. Roles grant them (pcc_portal.roles); views
check them."""

ADD_ORGANISATION = "funding.add_organisation"
CHANGE_ORGANISATION = "funding.change_organisation"
ADD_FUND = "funding.add_fund"
CHANGE_FUND = "funding.change_fund"
ADD_AWARD = "funding.add_award"
CHANGE_AWARD = "funding.change_award"

# What the office's roles may do here; pcc_portal.roles gathers these from every app.
STAFF = (ADD_ORGANISATION, CHANGE_ORGANISATION, ADD_FUND, CHANGE_FUND, ADD_AWARD, CHANGE_AWARD)
