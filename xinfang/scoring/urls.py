from django.urls import path  # noqa: F401

# Mounted under /scoring/.
app_name = "scoring"
urlpatterns = []
