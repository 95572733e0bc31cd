from django.urls import path

from . import views

# Mounted under /supervision/.
app_name = "supervision"
urlpatterns = [
    path("", views.notice_list, name="notices"),
    path("new/", views.notice_new, name="notice-new"),
    path("<int:pk>/", views.notice_detail, name="notice"),
    path("<int:pk>/reply/", views.notice_reply, name="reply"),
    path("<int:pk>/close/", views.notice_close, name="close"),
    path("<int:pk>/document.docx", views.notice_download, name="document"),
    path("visits/", views.visit_list, name="visits"),
]
