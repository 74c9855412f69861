"""Every word TeamFlow shows in Slack, in one place to review and reword."""

from __future__ import annotations

from core.enums import TaskPriority, TaskStatus

STATUS_LABELS = {
    TaskStatus.TODO: "To do",
    TaskStatus.IN_PROGRESS: "In progress",
    TaskStatus.IN_REVIEW: "In review",
    TaskStatus.DONE: "Done",
    TaskStatus.CANCELLED: "Cancelled",
}
STATUS_EMOJI = {
    TaskStatus.TODO: ":white_circle:",
    TaskStatus.IN_PROGRESS: ":large_blue_circle:",
    TaskStatus.IN_REVIEW: ":eyes:",
    TaskStatus.DONE: ":white_check_mark:",
    TaskStatus.CANCELLED: ":no_entry_sign:",
}
PRIORITY_LABELS = {
    TaskPriority.LOW: "Low",
    TaskPriority.MEDIUM: "Medium",
    TaskPriority.HIGH: "High",
    TaskPriority.URGENT: "Urgent",
}
PRIORITY_EMOJI = {
    TaskPriority.LOW: ":arrow_down:",
    TaskPriority.MEDIUM: ":heavy_minus_sign:",
    TaskPriority.HIGH: ":arrow_up:",
    TaskPriority.URGENT: ":rotating_light:",
}

# Task card
FIELD_STATUS = "Status"
FIELD_PRIORITY = "Priority"
FIELD_ASSIGNEE = "Assignee"
FIELD_DUE = "Due"
FIELD_LABELS = "Labels"
UNASSIGNED = "Unassigned"
OVERDUE = ":warning: overdue"
BUTTON_DONE = "Done"
BUTTON_REOPEN = "Reopen"
BUTTON_ASSIGN_ME = "Assign to me"
BUTTON_EDIT = "Edit"
BUTTON_COMMENT = "Comment"
PLACEHOLDER_STATUS = "Status"
PLACEHOLDER_DUE = "Due date"
CARD_FALLBACK = "{key}: {title}"

# Dates
TODAY = "today"
TOMORROW = "tomorrow"
YESTERDAY = "yesterday"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DUE_IN_LIST = "due {when}"

# Task list
LIST_TITLE_DEFAULT = "Tasks"
LIST_EMPTY = "No tasks match. :sparkles:"
LIST_SHOWING = "Showing {shown} of {total} tasks."
BUTTON_MORE = "Show more"
BUTTON_NEW_TASK = "New task"

# App Home
HOME_TITLE = "TeamFlow"
HOME_GREETING = "Hi {who}, here is what is on your plate."
HOME_MY_TASKS = "My tasks"
HOME_GROUPS = {
    "overdue": ":warning: Overdue",
    "today": ":date: Due today",
    "upcoming": ":spiral_calendar_pad: Upcoming",
    "no_date": ":inbox_tray: No date",
}
HOME_GROUP_TITLE = "*{title}* ({count})"
HOME_MORE = "…and {count} more: `{command} {words}`"
HOME_MORE_WORDS = {"overdue": "list mine overdue", "today": "list mine today"}
HOME_MORE_WORDS_DEFAULT = "list mine"
HOME_EMPTY = "Nothing on your plate. :palm_tree: Enjoy, or grab a new task."
HOME_TEAM_TITLE = "Team summary"
HOME_TEAM_OPEN = "Open tasks"
HOME_TEAM_OVERDUE = "Overdue"
HOME_TEAM_COMPLETED = "Completed, last 7 days"
HOME_TEAM_CREATED = "Created, last 7 days"
HOME_WORKLOAD = "Most open tasks"
HOME_WORKLOAD_ROW = "{name} · {count}"
HOME_WORKLOAD_NONE = "Nobody has open tasks."

# Modals
MODAL_CREATE_TITLE = "New task"
MODAL_EDIT_TITLE = "Edit {key}"
MODAL_COMMENT_TITLE = "Comment on {key}"
MODAL_CREATE_SUBMIT = "Create"
MODAL_EDIT_SUBMIT = "Save"
MODAL_COMMENT_SUBMIT = "Comment"
MODAL_CLOSE = "Cancel"
LABEL_TITLE = "Title"
LABEL_DESCRIPTION = "Description"
LABEL_PROJECT = "Project"
LABEL_ASSIGNEE = "Assignee"
LABEL_DUE = "Due date"
LABEL_PRIORITY = "Priority"
LABEL_LABELS = "Labels"
LABEL_BODY = "Comment"
PLACEHOLDER_TITLE = "What needs doing?"
PLACEHOLDER_DESCRIPTION = "Details, links, acceptance criteria"
PLACEHOLDER_PROJECT = "Choose a project"
PLACEHOLDER_ASSIGNEE = "Nobody yet"
PLACEHOLDER_PRIORITY = "Priority"
PLACEHOLDER_LABELS = "bug, frontend"
PLACEHOLDER_BODY = "Write a comment"
HINT_LABELS = "Separate labels with commas or spaces."
PROJECT_OPTION = "{key} · {name}"
NO_PROJECTS = (
    ":information_source: There are no projects yet. "
    "Create one first with `{command} project create KEY Name`."
)

# Notices
ERROR_PREFIX = ":warning: "

# Help
HELP_TITLE = "TeamFlow commands"
HELP_UNKNOWN = "I don't know {word}."
HELP_SUGGESTION = "Did you mean {suggestion}?"
HELP_EXAMPLE = "_Example:_ {example}"
HELP_BARE = "A bare {command} opens the form to create a task."
# (usage after the command, what it does, example after the command)
HELP_COMMANDS = (
    (
        "add <title> [@user] [#KEY] [!priority] [due:<date>] [+label]",
        "Create a task in one line; without #KEY it goes to the channel's project or INBOX.",
        "add Fix login redirect @maria #WEB !high due:friday +bug",
    ),
    (
        "list [mine | @user | KEY | overdue | today | <status>]",
        "List tasks: yours, someone's, a project's, overdue ones, due today or in a status.",
        "list mine",
    ),
    ("show KEY", "Show a task with its buttons.", "show WEB-42"),
    ("done KEY", "Mark a task done.", "done WEB-42"),
    ("reopen KEY", "Reopen a done or cancelled task.", "reopen WEB-42"),
    ("assign KEY @user", "Assign a task to someone.", "assign WEB-42 @maria"),
    ("due KEY <date>", "Set when a task is due (`none` clears it).", "due WEB-42 friday"),
    ("move KEY <status>", "Change a task's status: {statuses}.", "move WEB-42 in_review"),
    ("priority KEY <level>", "Change a task's priority: {priorities}.", "priority WEB-42 high"),
    ("comment KEY <text>", "Comment on a task.", "comment WEB-42 Deployed to staging"),
    ("search <words>", "Find tasks by words in their title or description.", "search login"),
    ("project list", "List the projects.", "project list"),
    (
        "project create KEY Name",
        "Create a project; its KEY starts its task keys.",
        "project create WEB Website",
    ),
    (
        "project default KEY",
        "Make KEY the project `add` uses in this channel.",
        "project default WEB",
    ),
    (
        "subscribe #KEY [created,assigned,completed,commented]",
        "Post changes to a project's tasks in this channel, from Slack, the API or webhooks.",
        "subscribe #WEB completed,commented",
    ),
    ("unsubscribe #KEY", "Stop posting that project's changes here.", "unsubscribe #WEB"),
    (
        "digest daily|weekdays HH:MM [zone] [#KEY] | off | preview",
        "A digest in this channel: done, new, overdue, due soon and stuck tasks.",
        "digest weekdays 09:00",
    ),
    (
        "morning on [HH:MM] [daily|weekdays] | off | preview",
        "Your own morning DM: overdue, due today and due this week, with quick actions.",
        "morning on 08:30",
    ),
    (
        "report weekly [day] [HH:MM] [zone] [#KEY] [@person] | off | preview",
        "The weekly manager report here (or to a person): throughput, cycle time, workload.",
        "report weekly monday 09:00",
    ),
    ("dashboard", "A sign-in link to the web dashboard, for you alone.", "dashboard"),
    ("help", "Show this help.", "help"),
)

DASHBOARD_BUTTON = "Open the dashboard"
