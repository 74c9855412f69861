"""Turn loaded models into the plain views that leave `core`."""

from __future__ import annotations

from core.models import Activity, Comment, Membership, Organization, Project, Task, User
from core.views import (
    ActivityView,
    CommentView,
    MemberView,
    OrganizationView,
    ProjectView,
    TaskView,
    UserView,
)


def user_view(user: User | None) -> UserView | None:
    if user is None:
        return None
    return UserView(id=user.id, name=user.name, email=user.email, timezone=user.timezone)


def organization_view(org: Organization) -> OrganizationView:
    return OrganizationView(
        id=org.id, name=org.name, slug=org.slug, timezone=org.timezone, created_at=org.created_at
    )


def member_view(membership: Membership) -> MemberView:
    user = user_view(membership.user)
    assert user is not None
    return MemberView(
        user=user,
        organization_id=membership.organization_id,  # type: ignore[attr-defined]
        role=membership.role,
        joined_at=membership.created_at,
    )


def project_view(project: Project) -> ProjectView:
    return ProjectView(
        id=project.id,
        organization_id=project.organization_id,  # type: ignore[attr-defined]
        key=project.key,
        name=project.name,
        description=project.description,
        status=project.status,
        created_at=project.created_at,
        updated_at=project.updated_at,
    )


def task_view(task: Task) -> TaskView:
    """Needs `project`, `assignee`, `reporter` and `labels` loaded (see tasks.with_relations)."""
    return TaskView(
        id=task.id,
        organization_id=task.organization_id,  # type: ignore[attr-defined]
        project_id=task.project_id,  # type: ignore[attr-defined]
        project_key=task.project.key,
        number=task.number,
        title=task.title,
        description=task.description,
        status=task.status,
        priority=task.priority,
        assignee=user_view(task.assignee),
        reporter=user_view(task.reporter),
        due_at=task.due_at,
        started_at=task.started_at,
        completed_at=task.completed_at,
        labels=tuple(sorted(label.name for label in task.labels)),
        version=task.version,
        created_at=task.created_at,
        updated_at=task.updated_at,
    )


def comment_view(comment: Comment) -> CommentView:
    return CommentView(
        id=comment.id,
        task_id=comment.task_id,  # type: ignore[attr-defined]
        author=user_view(comment.author),
        body=comment.body,
        source=comment.source,
        created_at=comment.created_at,
    )


def activity_view(activity: Activity) -> ActivityView:
    return ActivityView(
        id=activity.id,
        organization_id=activity.organization_id,  # type: ignore[attr-defined]
        actor=user_view(activity.actor),
        source=activity.source,
        action=activity.action,
        entity_type=activity.entity_type,
        entity_id=activity.entity_id,
        task_id=activity.task_id,
        changes=activity.changes,
        created_at=activity.created_at,
    )
