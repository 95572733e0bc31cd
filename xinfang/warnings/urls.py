from django.urls import path  # noqa: F401

# Mounted under /warnings/.
app_name = "warnings"
urlpatterns = []
