"""Managing projects on the web: the list with a new-project form, and one project's
edit page. Forms are offered only to roles that may use them (admins and owners)."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.views import ProjectView
from dashboards.pages.chrome import Chrome
from dashboards.pages.environment import render
from dashboards.pages.forms import FormState
from dashboards.pages.project import ProjectSummary

KEY_HINT = "2-10 letters or digits, starting with a letter; task keys are made of it (WEB-42)."


@dataclass(frozen=True, kw_only=True)
class ProjectsPage:
    projects: tuple[ProjectSummary, ...]
    can_create: bool = False
    can_update: bool = False
    can_archive: bool = False
    form: FormState = field(default_factory=lambda: FormState("new-project"))


@dataclass(frozen=True, kw_only=True)
class ProjectEditPage:
    project: ProjectView
    form: FormState
    can_archive: bool = False


def render_project_list(chrome: Chrome, page: ProjectsPage) -> str:
    """Every project of the organization, each linking to its board; with forms to create,
    edit, archive and restore for those allowed."""
    return render("projects.html", chrome=chrome, page=page, key_hint=KEY_HINT)


def render_project_edit(chrome: Chrome, page: ProjectEditPage) -> str:
    """A project's name and description, with a message next to a refused field."""
    return render("project_edit.html", chrome=chrome, page=page)
