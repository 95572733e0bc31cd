from django.urls import path  # noqa: F401

# Mounted under /reports/.
app_name = "reports"
urlpatterns = []
