from django.urls import path

from . import views

# Mounted at the site root: the forms hang off a case, the list stands on its own.
app_name = "plans"
urlpatterns = [
    path("plans/incomplete/", views.incomplete, name="incomplete"),
    path("plans/incomplete/export/", views.incomplete_export, name="incomplete-export"),
    path("cases/<int:case_pk>/plan/", views.plan_update, name="plan"),
    path("cases/<int:case_pk>/plan/task-force/", views.task_force_save, name="task-force"),
    path("cases/<int:case_pk>/plan/milestones/", views.milestone_create, name="milestone-add"),
    path(
        "cases/<int:case_pk>/plan/milestones/<int:pk>/done/",
        views.milestone_complete,
        name="milestone-done",
    ),
    path(
        "cases/<int:case_pk>/plan/milestones/<int:pk>/progress/",
        views.milestone_progress,
        name="milestone-progress",
    ),
]
