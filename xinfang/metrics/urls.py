from django.urls import path

from . import views

# Mounted under /metrics/.
app_name = "metrics"
urlpatterns = [
    path("<slug:key>/", views.metric_items, name="items"),
]
