"""HTML pages for the web door: pure render functions of plain data (Jinja2, autoescaped).

No renderer does I/O or imports a model; `webhooks.web` gathers the data through core
services and hands it over.
"""

from dashboards.pages.admin import AdminPage, EndpointLog, OutboundLog, render_admin
from dashboards.pages.auth import render_error, render_login, render_magic_link
from dashboards.pages.board import (
    BoardFilters,
    BoardPage,
    Column,
    board_payload,
    card_of,
    render_board,
    render_board_columns,
)
from dashboards.pages.chrome import Chrome, Notice, OrganizationChoice
from dashboards.pages.dashboard import DashboardView, Option, render_dashboard
from dashboards.pages.dashboard_data import dashboard_payload
from dashboards.pages.environment import STATIC
from dashboards.pages.forms import FormState, sentence
from dashboards.pages.history import history_line
from dashboards.pages.project import ProjectSummary
from dashboards.pages.projects import (
    ProjectEditPage,
    ProjectsPage,
    render_project_edit,
    render_project_list,
)
from dashboards.pages.quick_add import QuickAddPreview
from dashboards.pages.task_page import (
    TaskPage,
    comment_line,
    conflict_of,
    render_task,
    task_form_values,
)

__all__ = [
    "STATIC",
    "AdminPage",
    "BoardFilters",
    "BoardPage",
    "Chrome",
    "Column",
    "DashboardView",
    "EndpointLog",
    "FormState",
    "Notice",
    "Option",
    "OrganizationChoice",
    "OutboundLog",
    "ProjectEditPage",
    "ProjectSummary",
    "ProjectsPage",
    "QuickAddPreview",
    "TaskPage",
    "board_payload",
    "card_of",
    "comment_line",
    "conflict_of",
    "dashboard_payload",
    "history_line",
    "render_admin",
    "render_board",
    "render_board_columns",
    "render_dashboard",
    "render_error",
    "render_login",
    "render_magic_link",
    "render_project_edit",
    "render_project_list",
    "render_task",
    "sentence",
    "task_form_values",
]
