from alerts.tests.helpers import approver, media  # noqa: F401 (fixtures)
