from django.urls import path

from . import views

# Mounted under /notices/.
app_name = "notices"
urlpatterns = [
    path("", views.notice_inbox, name="inbox"),
    path("<int:pk>/acknowledge/", views.notice_ack, name="acknowledge"),
    path("<int:pk>/document.docx", views.notice_download, name="document"),
]
