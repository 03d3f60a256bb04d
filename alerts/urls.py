from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.ManageView.as_view(), name="manage"),
    path("new/", views.AlertNewView.as_view(), name="new"),
    path("new/sent/", views.SentView.as_view(), name="sent"),
    path(
        "unsubscribed/",
        views.DoneView.as_view(
            page_title="You are unsubscribed", text="No more alert emails will be sent."
        ),
        name="unsubscribed",
    ),
    path(
        "deleted/",
        views.DoneView.as_view(
            page_title="Everything is deleted", text="The address and its alerts are deleted."
        ),
        name="deleted",
    ),
    path("<str:secret>/", views.ManagePublicView.as_view(), name="manage_public"),
    path("<str:secret>/confirm/<int:pk>/", views.ConfirmView.as_view(), name="confirm"),
    path("<str:secret>/remove/<int:pk>/", views.RemoveView.as_view(), name="remove"),
    path("<str:secret>/unsubscribe/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("<str:secret>/delete/", views.DeleteView.as_view(), name="delete"),
]
