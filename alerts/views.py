"""The alert pages: subscribe, confirm, manage (signed in, or by the link in every email),
remove one alert, unsubscribe from all (one click, RFC 8058) and delete everything."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, TemplateView

from alerts.forms import AlertForm
from alerts.models import Alert, Subscriber
from alerts.services import (
    SubscribeStatus,
    alert_confirm,
    alert_remove,
    alert_subscribe,
    alerts_described,
    subscriber_address,
    subscriber_delete,
    subscriber_unsubscribe,
)
from pcc_portal.mixins import PageMixin


def _manage_url(request, subscriber: Subscriber) -> str:
    """The signed-in subscriber's own page, or the page their emails link to."""
    if subscriber.user_id and subscriber.user_id == request.user.pk:
        return reverse("alerts:manage")
    return reverse("alerts:manage_public", args=[subscriber.secret])


class AlertNewView(PageMixin, FormView):
    template_name = "alerts/new.html"
    form_class = AlertForm
    page_title = "Get email alerts"

    def what(self) -> str:
        source = self.request.POST if self.request.method == "POST" else self.request.GET
        what = source.get("what")
        return what if what in Alert.What.values else Alert.What.PAPERS

    def get_initial(self):
        query = self.request.GET
        return {
            "what": self.what(),
            "priority": query.get("priority", ""),
            "q": (query.get("q") or "")[:200],
            "kind": query.get("kind", ""),
            "frequency": Alert.Frequency.DAILY,
        }

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "what": self.what()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        data = form.cleaned_data if form.is_bound and form.is_valid() else form.initial
        context["description"] = _describe_offer(form, data)
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        user = self.request.user
        _, status = alert_subscribe(
            user=user,
            email=data["email"],
            what=data["what"],
            frequency=data["frequency"],
            priority_id=data["priority"],
            query=data["q"],
            kind=data["kind"] or "",
        )
        if status == SubscribeStatus.SENT:
            return redirect("alerts:sent")
        if status == SubscribeStatus.ALREADY:
            messages.success(self.request, "You already had this alert: it is kept as chosen.")
        else:
            messages.success(self.request, "Your alert is set up.")
        return redirect("alerts:manage")


def _describe_offer(form, data) -> str:
    """What the alert would follow, in words, for the page's lead paragraph."""
    what = data.get("what") or Alert.What.PAPERS
    try:
        priority = int(data.get("priority") or 0) or None
    except (TypeError, ValueError):
        priority = None
    if what == Alert.What.PRIORITY and priority:
        from plan.models import Priority

        if not Priority.objects.for_choices(form.user).filter(pk=priority).exists():
            return "A priority that was not found."
    alert = Alert(
        what=what,
        priority_id=priority,
        query=str(data.get("q") or "")[:200],
        kind=str(data.get("kind") or ""),
    )
    return alerts_described([alert])[0][1]


class SentView(PageMixin, TemplateView):
    template_name = "alerts/sent.html"
    page_title = "Check your email"


class DoneView(PageMixin, TemplateView):
    """After an answer that leaves no page of the subscriber to go back to."""

    template_name = "alerts/done.html"
    text = ""

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "text": self.text}


class SubscriberMixin(PageMixin):
    """A page reached by a subscriber's secret link: an unknown secret is a 404."""

    def dispatch(self, request, *args, **kwargs):
        self.subscriber = get_object_or_404(
            Subscriber.objects.select_related("user"), secret=kwargs["secret"]
        )
        return super().dispatch(request, *args, **kwargs)

    def alert(self) -> Alert:
        return get_object_or_404(Alert, subscriber=self.subscriber, pk=self.kwargs["pk"])


class ManageMixin:
    template_name = "alerts/manage.html"
    page_title = "Manage alerts"

    def subscriber_context(self, subscriber):
        alerts = list(subscriber.alerts.all()) if subscriber else []
        address = subscriber_address(subscriber) if subscriber else ""
        return {"subscriber": subscriber, "address": address, "alerts": alerts_described(alerts)}


class ManageView(LoginRequiredMixin, ManageMixin, PageMixin, TemplateView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        subscriber = (
            Subscriber.objects.select_related("user").filter(user=self.request.user).first()
        )
        context.update(self.subscriber_context(subscriber))
        return context


class ManagePublicView(SubscriberMixin, ManageMixin, TemplateView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.subscriber_context(self.subscriber))
        return context


class QuestionView(SubscriberMixin, TemplateView):
    """A page asking one question with one button: the POST does it."""

    template_name = "alerts/question.html"
    button = ""
    text = ""
    warning = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            text=self.get_text(),
            button=self.button,
            warning=self.warning,
            cancel_url=_manage_url(self.request, self.subscriber),
        )
        return context

    def get_text(self) -> str:
        return self.text


class ConfirmView(QuestionView):
    page_title = "Confirm your email alert"
    button = "Confirm"

    def get_text(self) -> str:
        alert = self.alert()
        what = alerts_described([alert])[0][1]
        return f"Start sending “{what}” to {self.subscriber.email}?"

    def post(self, request, *args, **kwargs):
        alert_confirm(self.alert())
        messages.success(request, "Your alert is confirmed.")
        return redirect(_manage_url(request, self.subscriber))


class RemoveView(QuestionView):
    page_title = "Remove this alert"
    button = "Remove the alert"
    warning = True

    def get_text(self) -> str:
        what = alerts_described([self.alert()])[0][1]
        return f"Stop sending “{what}” to {self.subscriber.email}?"

    def post(self, request, *args, **kwargs):
        alert_remove(self.alert())
        messages.success(request, "The alert is removed.")
        return redirect(_manage_url(request, self.subscriber))


@method_decorator(csrf_exempt, name="dispatch")  # mail clients post here without a page
class UnsubscribeView(QuestionView):
    page_title = "Unsubscribe"
    button = "Unsubscribe"
    warning = True

    def get_text(self) -> str:
        return f"Stop every alert email to {self.subscriber.email}?"

    def post(self, request, *args, **kwargs):
        # RFC 8058: the POST itself unsubscribes, with no more questions.
        subscriber_unsubscribe(self.subscriber)
        return redirect("alerts:unsubscribed")


class DeleteView(QuestionView):
    page_title = "Delete everything"
    button = "Delete everything"

    def get_text(self) -> str:
        return (
            f"Delete the address {self.subscriber.email} and all its alerts? "
            "Nothing is kept, and no more alert emails are sent."
        )

    def post(self, request, *args, **kwargs):
        subscriber_delete(self.subscriber)
        return redirect("alerts:deleted")
