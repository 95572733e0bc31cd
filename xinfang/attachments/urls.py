from django.urls import path

from . import views

# Mounted under /cases/<case_pk>/attachments/.
app_name = "attachments"
urlpatterns = [
    path("new/", views.attachment_upload, name="upload"),
    path("<int:pk>/", views.attachment_download, name="download"),
]
