"""The decision notice's stored PDFs, for the reader's audience."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.views import View

from decisions.models import Decision, DecisionRevision
from decisions.notices import notice_file, sees_exempt


class NoticePDFView(View):
    """/decisions/2021/014.pdf (the latest revision stored) and .../014/revision-1.pdf (any
    one), or by id for a decision with no reference: the stored file, never a render. 404 to
    whoever may not see the decision, and while no PDF is stored yet."""

    def get(self, request, reference=None, pk=None, number=None):
        lookup = {"reference": reference} if reference else {"pk": pk}
        decision = get_object_or_404(Decision.objects.visible_to(request.user), **lookup)
        revisions = DecisionRevision.objects.filter(decision=decision).defer(
            "public_html", "members_html"
        )
        members = sees_exempt(request.user)
        if number is not None:
            revision = get_object_or_404(revisions, revision=number)
            file = notice_file(revision, members=members)
        else:
            files = (notice_file(revision, members=members) for revision in
                     revisions.order_by("-revision"))  # fmt: skip
            file = next((file for file in files if file.ready), None)
        if file is None or not file.ready:
            raise Http404("The notice's PDF is not ready.")
        etag = f'"{file.sha256}"'
        if request.headers.get("If-None-Match") == etag:
            response = HttpResponse(status=304)
        else:
            name = decision.reference or f"decision {decision.pk}"
            try:
                response = FileResponse(
                    file.pdf.open("rb"), content_type="application/pdf", as_attachment=False,
                    filename=f"{slugify(name)} {slugify(decision.title)}"
                    f" revision {file.revision.revision}.pdf",
                )  # fmt: skip
            except FileNotFoundError:
                raise Http404("The stored PDF is missing.") from None
        response["ETag"] = etag
        response["Cache-Control"] = "private, max-age=300" if file.members else "max-age=300"
        return response
