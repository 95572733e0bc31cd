from django.urls import path  # noqa: F401

# Mounted under /supervision/.
app_name = "supervision"
urlpatterns = []
