from django.urls import path

from funding import views

app_name = "funding"

urlpatterns = [
    path("", views.SummaryView.as_view(), name="summary"),
    path("awards/", views.AwardListView.as_view(), name="awards"),
    path("awards.csv", views.awards_csv, name="awards_csv"),
    path("names.json", views.names_json, name="names"),
    path("360giving.json", views.three_sixty_giving, name="360giving"),
    path("awards/new/", views.AwardCreateView.as_view(), name="award_create"),
    path("awards/<int:pk>/", views.AwardDetailView.as_view(), name="award"),
    path("awards/<int:pk>/edit/", views.AwardUpdateView.as_view(), name="award_edit"),
    path("funds/new/", views.FundCreateView.as_view(), name="fund_create"),
    path("funds/<slug:slug>/", views.FundDetailView.as_view(), name="fund"),
    path("funds/<slug:slug>/edit/", views.FundUpdateView.as_view(), name="fund_edit"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisations"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path(
        "organisations/<int:pk>/edit/",
        views.OrganisationUpdateView.as_view(),
        name="organisation_edit",
    ),
]
