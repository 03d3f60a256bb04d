"""The panel's membership, and each meeting's attendance, declarations and minutes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.views import View
from django.views.generic import CreateView, DeleteView, DetailView, FormView, ListView, UpdateView

from pcc_portal.mixins import (
    ConfirmDeleteMixin,
    PageMixin,
    PermissionMixin,
    PublicationView,
    RecordFormMixin,
)
from pcc_portal.publication import held_root, pending_apply, publication_context
from pcc_portal.services import StaleRecord
from scrutiny import services
from scrutiny.forms import AttendanceForm, DeclarationForm, MinutesForm, PanelMemberForm
from scrutiny.models import AgendaItem, Attendance, Declaration, Minutes, PanelMember
from scrutiny.permissions import (
    ADD_DECLARATION,
    ADD_PANELMEMBER,
    APPROVE_MINUTES,
    CHANGE_ATTENDANCE,
    CHANGE_MINUTES,
    CHANGE_PANELMEMBER,
    DELETE_DECLARATION,
    VIEW_UNPUBLISHED,
)
from scrutiny.selectors import member_attendance, members_waiting, panel_meeting_on

PANEL = ("Panel meetings", reverse_lazy("scrutiny:panel_meetings"))
MEMBERS = ("Members of the panel", reverse_lazy("scrutiny:panel_members"))


class PanelMemberListView(PageMixin, ListView):
    """Current members first (chair, vice-chair, members), then former members."""

    template_name = "scrutiny/panelmember_list.html"
    context_object_name = "members"
    page_title = "Members of the Police and Crime Panel"

    def get_queryset(self):
        return PanelMember.objects.visible_to(self.request.user).in_membership_order()

    def get_breadcrumbs(self):
        return [PANEL]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        members = context["members"]
        context["current"] = [m for m in members if m.in_office_on(today)]
        context["former"] = sorted(
            (m for m in members if m.term_end and m.term_end < today),
            key=lambda m: (-m.term_end.toordinal(), m.name),
        )
        context["future"] = [m for m in members if m.term_start > today]
        context["can_add"] = self.request.user.has_perm(ADD_PANELMEMBER)
        # For the office: which members are not published yet, or have changes waiting.
        waiting = members_waiting(self.request.user)
        for member in members:
            member.waiting = waiting.get(member.pk, "")
        context["show_status"] = self.request.user.has_perm(VIEW_UNPUBLISHED)
        return context


class PanelMemberDetailView(PageMixin, DetailView):
    template_name = "scrutiny/panelmember_detail.html"
    context_object_name = "member"

    def get_queryset(self):
        return PanelMember.objects.visible_to(self.request.user)

    def get_page_title(self):
        return self.object.name

    def get_breadcrumbs(self):
        return [PANEL, MEMBERS]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["record"] = member_attendance(self.object, self.request.user)
        context["can_change"] = self.request.user.has_perm(CHANGE_PANELMEMBER)
        context.update(publication_context(self.object, self.request.user))
        return context


class PanelMemberPublicationView(PublicationView):
    def get_root(self):
        return get_object_or_404(
            PanelMember.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_breadcrumbs(self):
        return [PANEL, MEMBERS, (self.root.name, self.root.get_absolute_url())]


class PanelMemberFormMixin(RecordFormMixin):
    form_class = PanelMemberForm

    def save(self, form):
        return services.panel_member_save(
            member=form.save(commit=False), user=self.request.user, **self.save_options(form)
        )

    def get_breadcrumbs(self):
        return [PANEL, MEMBERS]


class PanelMemberCreateView(PanelMemberFormMixin, CreateView):
    permission = ADD_PANELMEMBER
    page_title = "Add a member of the panel"
    success_message = "Member added."
    cancel_url = reverse_lazy("scrutiny:panel_members")


class PanelMemberUpdateView(PanelMemberFormMixin, UpdateView):
    permission = CHANGE_PANELMEMBER
    model = PanelMember
    page_title = "Change the member"
    success_message = "Member saved."

    def get_cancel_url(self):
        return self.object.get_absolute_url()


class MeetingPageMixin:
    """Pages of one panel meeting: /scrutiny/panel/<date>/..."""

    def get_meeting(self):
        if not hasattr(self, "_meeting"):
            self._meeting = panel_meeting_on(self.kwargs["date"], self.request.user)
        return self._meeting

    def get_caption(self):
        return str(self.get_meeting())

    def get_breadcrumbs(self):
        meeting = self.get_meeting()
        return [PANEL, (str(meeting), meeting.get_absolute_url())]


class AttendanceView(MeetingPageMixin, PermissionMixin, PageMixin, FormView):
    """One form for the whole meeting: each member in office that day, attended, sent
    apologies or absent."""

    permission = CHANGE_ATTENDANCE
    form_class = AttendanceForm
    template_name = "components/form_page.html"
    page_title = "Record the attendance"

    def get_form_kwargs(self):
        meeting = self.get_meeting()
        members = PanelMember.objects.in_office_on(meeting.date).in_membership_order()
        # Staff amend the attendance they are waiting on, not the published one.
        records = {
            a.member_id: pending_apply(a) for a in Attendance.objects.filter(meeting=meeting)
        }
        for member_id, status in services.attendance_held_new(meeting).items():
            records.setdefault(member_id, Attendance(member_id=member_id, status=status))
        return {**super().get_form_kwargs(), "members": members, "records": records}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["caption"] = self.get_caption()
        context["cancel_url"] = self.get_meeting().get_absolute_url() + "#attendance"
        if not context["form"].members:
            context["pending_note"] = (
                "No members of the panel were in office on the day of the meeting."
            )
        elif (root := held_root(Attendance(meeting=self.get_meeting()))) is not None:
            context["pending_note"] = (
                f"The {root._meta.verbose_name} is published, so what you save here waits for "
                "an approver to publish it. Until then everyone else sees the published version."
            )
        return context

    def form_valid(self, form):
        meeting = self.get_meeting()
        try:
            saved = services.attendance_record(
                meeting=meeting,
                user=self.request.user,
                statuses=form.statuses(),
                versions=form.versions(),
            )
        except StaleRecord:
            kwargs = self.get_form_kwargs()
            current = {}
            for member in kwargs["members"]:
                record = kwargs["records"].get(member.pk)
                if record is not None:
                    current[f"member_{member.pk}"] = record.status
                    current[f"version_{member.pk}"] = record.version
            form = self.get_form_class()(**{**kwargs, "data": current, "files": None})
            form.is_valid()
            form.add_error(
                None,
                "Someone else saved the attendance after you opened this page: it now shows "
                "what they saved. Check it and save again.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=409)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        held = any(getattr(record, "held_for_approval", False) for record in saved)
        messages.success(
            self.request, RecordFormMixin.held_message if held else "Attendance saved."
        )
        return redirect(meeting.get_absolute_url() + "#attendance")


class DeclarationCreateView(MeetingPageMixin, RecordFormMixin, CreateView):
    permission = ADD_DECLARATION
    form_class = DeclarationForm
    page_title = "Record a declaration of interest"
    success_message = "Declaration recorded."

    def get_form_kwargs(self):
        meeting = self.get_meeting()
        return {
            **super().get_form_kwargs(),
            "instance": Declaration(meeting=meeting),
            "items": AgendaItem.objects.visible_to(self.request.user)
            .filter(meeting=meeting)
            .in_agenda_order(),
            "members": PanelMember.objects.in_office_on(meeting.date).order_by("name", "pk"),
        }

    def save(self, form):
        return services.declaration_add(declaration=form.save(commit=False), user=self.request.user)

    def get_success_url(self):
        return self.get_meeting().get_absolute_url() + "#declarations"

    def get_cancel_url(self):
        return self.get_success_url()


class DeclarationDeleteView(MeetingPageMixin, ConfirmDeleteMixin, DeleteView):
    permission = DELETE_DECLARATION
    page_title = "Remove this declaration of interest?"
    success_message = "Declaration removed."

    def get_object(self, queryset=None):
        return get_object_or_404(self.get_meeting().declarations.all(), pk=self.kwargs["pk"])

    def get_success_url(self):
        return self.get_meeting().get_absolute_url() + "#declarations"

    def delete_record(self):
        return services.declaration_remove(declaration=self.object, user=self.request.user)


class MinutesEditView(MeetingPageMixin, RecordFormMixin, UpdateView):
    """Attaches the minutes, or changes them while they are a draft."""

    permission = CHANGE_MINUTES
    form_class = MinutesForm
    page_title = "The minutes"
    success_message = "Minutes saved as a draft."

    def get_object(self, queryset=None):
        meeting = self.get_meeting()
        return Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)

    def save(self, form):
        return services.minutes_save(
            minutes=form.save(commit=False), user=self.request.user, **self.save_options(form)
        )

    def get_success_url(self):
        return self.get_meeting().get_absolute_url() + "#minutes"

    def get_cancel_url(self):
        return self.get_success_url()


class MinutesApproveView(MeetingPageMixin, PermissionMixin, View):
    """POST only: "Approve the minutes" of this meeting, at the next meeting."""

    permission = APPROVE_MINUTES

    def post(self, request, date):
        meeting = self.get_meeting()
        minutes = get_object_or_404(Minutes, meeting=meeting)
        version = request.POST.get("version", "")
        if not (version.isascii() and version.isdigit()) or len(version) > 9:
            messages.error(request, "Open the meeting's page again to approve its minutes.")
            return redirect(meeting.get_absolute_url() + "#minutes")
        version = int(version)
        try:
            services.minutes_approve(minutes=minutes, user=request.user, expected_version=version)
        except StaleRecord:
            messages.error(request, "The minutes changed after you opened the page: check them.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Minutes approved.")
        return redirect(meeting.get_absolute_url() + "#minutes")


class MinutesDownloadView(MeetingPageMixin, View):
    """The minutes' PDF, to whoever may see the meeting."""

    def get(self, request, date):
        minutes = get_object_or_404(Minutes, meeting=self.get_meeting())
        if not minutes.file:
            raise Http404
        try:
            handle = minutes.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(
            handle,
            filename=f"Minutes {minutes.meeting.date.isoformat()}.pdf",
            content_type="application/pdf",
        )
