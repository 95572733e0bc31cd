from django.urls import path

from . import views

# Mounted under /alerts/.
app_name = "alerts"
urlpatterns = [
    path("", views.alert_inbox, name="inbox"),
    path("<int:pk>/open/", views.alert_open, name="open"),
    path("read-all/", views.alert_read_all, name="read-all"),
]
