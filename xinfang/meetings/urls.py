from django.urls import path

from . import views

# Mounted under /meetings/.
app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_new, name="new"),
    path("cadence/", views.cadence, name="cadence"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/minutes.docx", views.meeting_minutes, name="minutes"),
    path("tasks/<int:pk>/done/", views.task_done_post, name="task-done"),
    path("receptions/", views.reception_list, name="receptions"),
    path("receptions/<int:pk>/", views.reception_detail, name="reception"),
]
