from django.urls import path  # noqa: F401

# Mounted under /meetings/.
app_name = "meetings"
urlpatterns = []
