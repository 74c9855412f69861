"""Every blueprint of the web door, in the order the app registers them."""

from webhooks.web import (
    admin_pages,
    auth_pages,
    board_pages,
    dashboard_pages,
    project_pages,
    quick_add_pages,
    static_files,
    task_pages,
)

BLUEPRINTS = [
    static_files.blueprint,
    auth_pages.blueprint,
    dashboard_pages.blueprint,
    project_pages.blueprint,
    board_pages.blueprint,
    quick_add_pages.blueprint,
    task_pages.blueprint,
    admin_pages.blueprint,
]
