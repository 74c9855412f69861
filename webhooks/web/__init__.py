"""The web door: manager dashboards, project boards and task pages, project management
and the admin area, for people in a browser. Cookie sessions (the API's own tokens), CSRF
on every form; the pages themselves are rendered by `dashboards.pages`."""
