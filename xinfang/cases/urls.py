from django.urls import path

from . import batch_views, views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.petition_new, name="new"),
    path("new/candidates/", views.petition_candidates, name="candidates"),
    path("export.xlsx", views.case_export, name="export"),
    path("import/", views.petition_import, name="import"),
    path("batch-assign/", batch_views.batch_assign_page, name="batch-assign"),
    path("import/template.xlsx", views.petition_import_template, name="import-template"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("petitioners/<int:pk>/", views.petitioner_detail, name="petitioner"),
    path("<int:pk>/actions/<slug:action>/", views.case_action, name="action"),
    path("<int:pk>/receipt/", views.petition_receipt, name="receipt"),
    path(
        "<int:pk>/petitions/<int:petition_id>/threat/<int:index>/dismiss/",
        views.threat_dismiss,
        name="threat-dismiss",
    ),
    path("<int:pk>/documents/<slug:name>.docx", views.case_document, name="document"),
]
