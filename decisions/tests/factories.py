import datetime

from decisions import services
from decisions.models import Decision


def make_decision(**fields) -> Decision:
    values = {
        "title": "Grants to community safety partnerships",
        "summary": "Grants for projects on serious violence.",
        "decision_text": "To award the grants.",
        "decision_date": datetime.date(2021, 7, 1),
        "significant_public_interest": True,
    }
    values.update(fields)
    return Decision.objects.create(**values)


def publish_decision(decision: Decision, approver) -> Decision:
    """Submits, signs and publishes the decision, as an approver may do every step."""
    decision = services.decision_submit(decision=decision, user=approver)
    decision = services.decision_sign(decision=decision, user=approver)
    return services.decision_publish(decision=decision, user=approver)
