from django.urls import path

from . import views

# Mounted under /reports/.
app_name = "reports"
urlpatterns = [
    path("", views.report_index, name="index"),
    path("new/", views.report_new, name="new"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("jobs/<int:pk>/", views.job_row, name="job"),
    path("jobs/<int:pk>/download/", views.job_download, name="download"),
    path("jobs/<int:pk>/delete/", views.job_delete, name="delete"),
]
