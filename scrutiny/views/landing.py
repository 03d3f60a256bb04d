"""Scrutiny's landing page: its meetings, actions, panel meetings and task groups at a glance."""

from django.views.generic import TemplateView

from pcc_portal.mixins import PageMixin
from scrutiny.permissions import VIEW_UNPUBLISHED
from scrutiny.selectors import scrutiny_overview


class ScrutinyIndexView(PageMixin, TemplateView):
    template_name = "scrutiny/index.html"
    page_title = "Scrutiny"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(scrutiny_overview(self.request.user))
        context["sees_unpublished"] = self.request.user.has_perm(VIEW_UNPUBLISHED)
        return context
