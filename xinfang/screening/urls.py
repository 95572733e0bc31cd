from django.urls import path

from . import views

# Mounted under /screening/.
app_name = "screening"
urlpatterns = [
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/report/", views.report_form, name="report"),
    path("rounds/<int:pk>/cross/", views.cross_view, name="cross"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/outcome/", views.item_outcome, name="item-outcome"),
    path("assessments/", views.assessment_list, name="assessments"),
    path("assessments/new/", views.assessment_new, name="assessment-new"),
    path("assessments/missing/", views.missing_assessment_list, name="missing-assessments"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
]
