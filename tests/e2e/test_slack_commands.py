"""Each `/task` command word, sent as Slack sends it, answered through the fake Slack."""

from tests.e2e.slack_harness import text_of


async def test_first_contact_creates_the_workspace_organization_and_links_the_user(slack):
    reply = await slack.command("add Write release notes")
    assert reply.params["response_type"] == "in_channel"
    assert "INBOX-1" in text_of(reply) and "Write release notes" in text_of(reply)
    users_info = slack.fake.calls("users.info")
    assert [c.params["user"] for c in users_info] == ["U1"]
    again = await slack.command("show INBOX-1")
    assert "Write release notes" in text_of(again)
    assert len(slack.fake.calls("users.info")) == 1, "the link is reused, Slack is asked once"


async def test_quick_add_fills_every_field(slack):
    await slack.command("project create WEB Website")
    await slack.command("show INBOX-1")  # link U1 first
    reply = await slack.command("add Fix login redirect <@U2|bob> #WEB !high due:2099-01-02 +bug")
    text = text_of(reply)
    assert "WEB-1" in text and "Fix login redirect" in text
    assert "bug" in text
    from core.services import slack_links
    from core.services.task_queries import get_task

    actor = await slack_links.linked_actor("T1", "U1")
    task = await get_task(actor, "WEB-1")
    assert task.priority.label == "high"
    assert task.assignee is not None and task.assignee.name == "Bob Brown"
    assert task.labels == ("bug",)
    assert task.due_at is not None and task.due_at.year == 2099


async def test_status_commands_change_the_task(slack):
    await slack.command("add Ship it")
    assert "done" in text_of(await slack.command("done INBOX-1")).lower()
    assert "open again" in text_of(await slack.command("reopen INBOX-1"))
    assert "in_review" in text_of(await slack.command("move INBOX-1 review"))
    assert "urgent" in text_of(await slack.command("priority INBOX-1 urgent"))
    assert "assigned" in text_of(await slack.command("assign INBOX-1 me"))
    assert "due date" in text_of(await slack.command("due INBOX-1 2099-03-04"))
    assert "Comment added" in text_of(await slack.command("comment INBOX-1 Deployed to staging"))
    from core.services import comments, slack_links

    actor = await slack_links.linked_actor("T1", "U1")
    assert [c.body for c in await comments.list_comments(actor, "INBOX-1")] == [
        "Deployed to staging"
    ]


async def test_list_and_search(slack):
    await slack.command("add Mine to do @me")
    await slack.command("add Someone else's")
    mine = text_of(await slack.command("list"))
    assert "Mine to do" in mine and "Someone else" not in mine
    everything = text_of(await slack.command("list INBOX"))
    assert "Mine to do" in everything and "Someone else" in everything
    found = text_of(await slack.command("search else"))
    assert "Someone else" in found and "Mine to do" not in found
    assert "No tasks" in text_of(await slack.command("list overdue"))


async def test_projects(slack):
    assert "INBOX" in text_of(await slack.command("project list"))
    assert "created" in text_of(await slack.command("project create OPS Operations"))
    assert "OPS" in text_of(await slack.command("project default OPS"))
    reply = await slack.command("add Rotate certificates")
    assert "OPS-1" in text_of(reply), "the channel default project is used"


async def test_help_and_unknown_words(slack):
    assert "add" in text_of(await slack.command("help"))
    reply = await slack.command("ad Fix it")
    assert reply.params["response_type"] == "ephemeral"
    assert "don't know" in text_of(reply) and "add" in text_of(reply)


async def test_bad_arguments_say_what_was_wrong(slack):
    await slack.command("add Exists")
    cases = {
        "add !extreme Fix": "priority",
        "add Fix due:blursday": "blursday",
        "add": None,
        "done": "Which task",
        "done NOPE-9": "No task",
        "move INBOX-1 sideways": "move",
        "assign INBOX-1": "assign",
        "priority INBOX-1 extreme": "priority",
        "project create X": "project create",
    }
    for text, expected in cases.items():
        if expected is None:
            continue
        reply = await slack.command(text)
        assert reply.params["response_type"] == "ephemeral", text
        assert expected.lower() in text_of(reply).lower(), (text, text_of(reply))


async def test_a_due_date_past_the_end_of_the_calendar_is_explained(slack):
    """Bob is in New York: 23:59 on 9999-12-31 there is already year 10000 in UTC."""
    await slack.command("add Exists", user_id="U2")
    for text in ("add Forever due:9999-12-31", "due INBOX-1 9999-12-31"):
        reply = await slack.command(text, user_id="U2")
        assert reply.params["response_type"] == "ephemeral", text
        assert "'9999-12-31' is out of range" in text_of(reply), (text, text_of(reply))
    assert "Forever" not in text_of(await slack.command("list all", user_id="U2"))
    assert "2099" in text_of(await slack.command("due INBOX-1 2099-01-01", user_id="U2"))


async def test_bare_command_opens_the_create_modal(slack):
    _, url = slack.new_response_url()
    from tests.fakes import slack_requests

    body, kind = slack_requests.slash_command(text="", response_url=url)
    sent = await slack.post(body, kind)
    assert sent.status == 200
    opened = await slack.fake.wait_for("views.open")
    assert opened[-1].params["view"]["callback_id"] == "task_create"


async def test_a_viewer_is_refused_with_a_clear_message(slack):
    await slack.command("add First")  # U1 creates the workspace and owns it
    from core.enums import Role
    from core.services import members, slack_links

    await slack.command("list", user_id="U3")
    owner = await slack_links.linked_actor("T1", "U1")
    carol = await slack_links.linked_actor("T1", "U3")
    await members.change_role(owner, user_id=carol.user_id, role=Role.VIEWER)
    reply = await slack.command("done INBOX-1", user_id="U3")
    assert "may not" in text_of(reply)


async def test_a_workspace_linked_to_an_existing_organization_works_there(slack):
    from core.services import organizations, users
    from core.services.slack_links import link_workspace

    owner = await users.create_user(email="olive@acme.test", name="Olive")
    org, _ = await organizations.create_organization(owner_id=owner.id, name="Existing Co")
    assert await link_workspace("T1", organization=org.slug) == "Existing Co"
    await slack.command("add In the existing org")
    from core.services import slack_links

    actor = await slack_links.linked_actor("T1", "U1")
    assert actor.organization_id == org.id
    assert actor.role.value == "member", "joining an existing organization does not make an owner"


async def test_a_form_slack_refuses_to_open_is_explained(slack):
    from tests.fakes import slack_requests

    slack.fake.fail("views.open", error="expired_trigger_id", status=200, times=1)
    name, url = slack.new_response_url()
    body, kind = slack_requests.slash_command(text="", response_url=url)
    await slack.post(body, kind)
    reply = (await slack.fake.wait_for(f"response_url:{name}"))[-1]
    assert reply.params["response_type"] == "ephemeral"
    assert "/task add" in reply.params["text"]
