from datetime import UTC, datetime

import pytest

from bot.quickadd import (
    Mention,
    QuickAdd,
    QuickAddError,
    format_quick_add_help,
    parse_mention_token,
    parse_quick_add,
)

WEDNESDAY = datetime(2026, 10, 28, 10, 0, tzinfo=UTC)
ZONE = "Europe/Berlin"  # CET from 2026-10-25, UTC+1


def parse(text: str) -> QuickAdd:
    return parse_quick_add(text, now=WEDNESDAY, timezone=ZONE)


def refused(text: str) -> str:
    with pytest.raises(QuickAddError) as caught:
        parse(text)
    return str(caught.value)


def test_the_full_example_fills_every_field() -> None:
    assert parse("Fix login redirect @alice #WEB !high due:friday +bug +ux") == QuickAdd(
        title="Fix login redirect",
        assignee=Mention(slack_user_id=None, name="alice"),
        project_key="WEB",
        priority="high",
        due_at=datetime(2026, 10, 30, 22, 59, tzinfo=UTC),
        labels=("bug", "ux"),
    )


def test_a_title_alone_leaves_every_other_field_empty() -> None:
    assert parse("  Write   the release notes ") == QuickAdd(
        title="Write the release notes",
        assignee=None,
        project_key=None,
        priority=None,
        due_at=None,
        labels=(),
    )


def test_tokens_may_come_anywhere_and_the_title_keeps_its_order() -> None:
    parsed = parse("+bug Fix #web the !low login")
    assert (parsed.title, parsed.project_key, parsed.priority) == ("Fix the login", "WEB", "low")


class TestAssignee:
    @pytest.mark.parametrize(
        ("token", "expected"),
        [
            ("@alice", Mention(slack_user_id=None, name="alice")),
            ("@alice.smith", Mention(slack_user_id=None, name="alice.smith")),
            ("<@U123ABC>", Mention(slack_user_id="U123ABC", name=None)),
            ("<@U123ABC|alice>", Mention(slack_user_id="U123ABC", name=None)),
            ("<@W0ENTERPRISE>", Mention(slack_user_id="W0ENTERPRISE", name=None)),
            ("@me", Mention(slack_user_id=None, name="me")),
            ("@Me", Mention(slack_user_id=None, name="me")),
        ],
    )
    def test_mentions(self, token: str, expected: Mention) -> None:
        parsed = parse(f"Review the PR {token}")
        assert (parsed.title, parsed.assignee) == ("Review the PR", expected)

    def test_only_one_assignee(self) -> None:
        message = refused("Pair on it @alice <@U123ABC>")
        assert "only one assignee" in message
        assert "<@U123ABC>" in message


class TestProject:
    @pytest.mark.parametrize(
        ("token", "expected"),
        [("#WEB", "WEB"), ("#web", "WEB"), ("#Api2", "API2"), ("<#C123ABC|web>", "WEB")],
    )
    def test_keys_are_upper_cased(self, token: str, expected: str) -> None:
        parsed = parse(f"Ship it {token}")
        assert (parsed.title, parsed.project_key) == ("Ship it", expected)

    @pytest.mark.parametrize(
        "token", ["<#C123ABC>", "<#C123ABC|>", "<#C123ABC|web-team>", "#1", "#W", "#ABCDEFGHIJK"]
    )
    def test_what_is_not_a_key_stays_in_the_title(self, token: str) -> None:
        parsed = parse(f"See {token}")
        assert (parsed.title, parsed.project_key) == (f"See {token}", None)

    def test_only_one_project(self) -> None:
        message = refused("Ship it #WEB <#C1|api>")
        assert "only one project" in message
        assert "<#C1|api>" in message


class TestPriority:
    @pytest.mark.parametrize(
        ("token", "expected"),
        [
            ("!low", "low"),
            ("!medium", "medium"),
            ("!med", "medium"),
            ("!normal", "medium"),
            ("!high", "high"),
            ("!HIGH", "high"),
            ("!urgent", "urgent"),
            ("!!", "high"),
            ("!!!", "urgent"),
        ],
    )
    def test_words_and_bangs(self, token: str, expected: str) -> None:
        parsed = parse(f"Patch the server {token}")
        assert (parsed.title, parsed.priority) == ("Patch the server", expected)

    @pytest.mark.parametrize("token", ["!critical", "!1", "!4"])
    def test_an_unknown_priority_lists_the_allowed_ones(self, token: str) -> None:
        message = refused(f"Patch {token}")
        assert token in message
        for allowed in ("!low", "!medium", "!high", "!urgent", "!!", "!!!"):
            assert allowed in message

    def test_only_one_priority(self) -> None:
        assert "only one priority" in refused("Patch !high !!!")


class TestDue:
    @pytest.mark.parametrize(
        ("token", "expected"),
        [
            ("due:friday", datetime(2026, 10, 30, 22, 59, tzinfo=UTC)),
            ("DUE:tomorrow", datetime(2026, 10, 29, 22, 59, tzinfo=UTC)),
            ("due:2026-12-01", datetime(2026, 12, 1, 22, 59, tzinfo=UTC)),
            ('due:"next monday"', datetime(2026, 11, 2, 22, 59, tzinfo=UTC)),
            ("due:next_monday", datetime(2026, 11, 2, 22, 59, tzinfo=UTC)),
            ('due:"friday 14:00"', datetime(2026, 10, 30, 13, 0, tzinfo=UTC)),
            ("due:“friday 14:00”", datetime(2026, 10, 30, 13, 0, tzinfo=UTC)),
        ],
    )
    def test_values_in_the_users_zone(self, token: str, expected: datetime) -> None:
        parsed = parse(f"Send the invoice {token} +billing")
        assert (parsed.title, parsed.due_at, parsed.labels) == (
            "Send the invoice",
            expected,
            ("billing",),
        )

    def test_an_unreadable_date_gives_the_date_message(self) -> None:
        assert refused("Send due:blursday") == (
            "Couldn't read 'blursday' as a date. Try tomorrow, friday, 2026-12-01 or in 3 days."
        )

    def test_an_empty_date_says_what_to_write(self) -> None:
        assert "due:friday" in refused("Send due:")

    def test_only_one_due_date(self) -> None:
        assert "only one due date" in refused("Send due:friday due:tomorrow")


class TestLabels:
    def test_lower_cased_in_order_without_duplicates(self) -> None:
        parsed = parse("Fix +Bug +ux +bug +area/auth +v2.1 +team:core +under_score")
        assert parsed.labels == ("bug", "ux", "area/auth", "v2.1", "team:core", "under_score")

    def test_a_label_longer_than_fifty_characters_is_refused(self) -> None:
        assert "+" + "a" * 51 in refused(f"Fix +{'a' * 51}")


@pytest.mark.parametrize(
    "title",
    [
        "Learn C# basics",
        "Check a+b overflow",
        "Email x@y.com today",
        "Grow 50%! now",
        "Fix #1 and +1 it",
        "Ping <!here> on @ and ! and +",
        "Write email@x.com",
        "Ship it !!!!",
    ],
)
def test_token_like_words_that_do_not_match_stay_in_the_title(title: str) -> None:
    assert parse(title).title == title


def test_slack_html_escapes_are_undone_in_the_title() -> None:
    title = parse("R&amp;D: make a &lt;b&gt; tag, not &amp;lt;").title
    assert title == "R&D: make a <b> tag, not &lt;"


def test_a_title_is_required() -> None:
    assert refused("@alice #WEB !high +bug") == (
        "Give the task a title, e.g. /task add Fix login @alice #WEB"
    )


def test_a_title_over_255_characters_is_refused() -> None:
    assert parse("x" * 255).title == "x" * 255
    message = refused("x" * 256)
    assert "256" in message
    assert "255" in message


def test_quick_add_error_is_a_value_error() -> None:
    assert issubclass(QuickAddError, ValueError)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("me", Mention(slack_user_id=None, name="me")),
        ("@me", Mention(slack_user_id=None, name="me")),
        ("@bob", Mention(slack_user_id=None, name="bob")),
        ("<@U1|bob>", Mention(slack_user_id="U1", name=None)),
        ("web", None),
        ("x@y.com", None),
    ],
)
def test_parse_mention_token(token: str, expected: Mention | None) -> None:
    assert parse_mention_token(token) == expected


def test_help_shows_every_token_and_an_example() -> None:
    text = format_quick_add_help()
    assert "`/task add Fix login redirect @alice #WEB !high due:friday +bug`" in text
    for token in ("@me", "#WEB", "!urgent", "!!!", 'due:"next monday 9am"', "due:next_monday"):
        assert token in text
    assert len(text.splitlines()) > 3
