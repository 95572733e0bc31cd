from django.urls import path  # noqa: F401

# Mounted under /metrics/.
app_name = "metrics"
urlpatterns = []
