from django.urls import path

from . import views

# Mounted under /warnings/.
app_name = "warnings"
urlpatterns = [
    path("", views.warning_board, name="board"),
    path("<int:pk>/", views.warning_detail, name="detail"),
    path("<int:pk>/ack/", views.warning_ack, name="ack"),
    path("<int:pk>/handle/", views.warning_handle_post, name="handle"),
]
