"""The permissions of decisions and the forward plan, by name, for views, services and models."""

ADD_DECISION = "decisions.add_decision"
CHANGE_DECISION = "decisions.change_decision"
DELETE_DECISION = "decisions.delete_decision"
# Signing (as the decision maker) and publishing: approvers.
PUBLISH_DECISION = "decisions.publish_decision"
ADD_ENTRY = "decisions.add_forwardplanentry"
CHANGE_ENTRY = "decisions.change_forwardplanentry"
DELETE_ENTRY = "decisions.delete_forwardplanentry"
# HMICFRS inspections: staff keep them and their recommendations (editing an inspection covers
# its recommendations); approvers publish the office's responses and the comments.
ADD_INSPECTION = "decisions.add_inspection"
CHANGE_INSPECTION = "decisions.change_inspection"
DELETE_INSPECTION = "decisions.delete_inspection"
PUBLISH_INSPECTION = "decisions.publish_inspection"
INSPECTION_STAFF = (ADD_INSPECTION, CHANGE_INSPECTION, DELETE_INSPECTION)
# The register of duties: staff upload documents for it; approvers publish them.
ADD_DUTY_DOCUMENT = "decisions.add_dutydocument"
CHANGE_DUTY_DOCUMENT = "decisions.change_dutydocument"
PUBLISH_DUTY_DOCUMENT = "decisions.publish_dutydocument"

# What the office's roles may do here; pcc_portal.roles gathers these from every app.
STAFF = (
    ADD_DECISION, CHANGE_DECISION, DELETE_DECISION, ADD_ENTRY, CHANGE_ENTRY, DELETE_ENTRY,
    *INSPECTION_STAFF, ADD_DUTY_DOCUMENT, CHANGE_DUTY_DOCUMENT,
)  # fmt: skip
APPROVER = (PUBLISH_DECISION, PUBLISH_INSPECTION, PUBLISH_DUTY_DOCUMENT)
# Holding any of these, a person's pages may show what the public may not (never cached).
SEES_PRIVATE = (CHANGE_DECISION, CHANGE_INSPECTION, CHANGE_DUTY_DOCUMENT)
