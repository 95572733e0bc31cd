from django.urls import path  # noqa: F401

# Mounted under /screening/.
app_name = "screening"
urlpatterns = []
