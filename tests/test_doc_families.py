"""Each documentation family's syntax, from small inline pages written the way the
family writes them, through extraction: what a reader of the page would expect."""

from __future__ import annotations

import json
from pathlib import Path

from generator.document import DefinitionList, Endpoint, Include
from generator.extract import extract_provider
from generator.pipeline import extract
from generator.readers import parse_text


def _spec(pages: dict[str, str]):
    documents = [parse_text(text, name) for name, text in pages.items()]
    return extract_provider("demo", documents)


def test_mdx_route_component_declares_the_endpoint_and_imports_are_not_text() -> None:
    page = """import {Route} from '/snippets/route.jsx'
import {ManualAnchor} from '/snippets/manualanchor.jsx'

## Get Answer Voters
<Route method="GET">/channels/[\\{channel.id\\}](/developers/resources/channel#channel-object)/polls/[\\{message.id\\}](#x)/answers/[\\{answer_id\\}](#y)</Route>

Get a list of users that voted for this specific answer.

<ManualAnchor id="get-answer-voters-query-string-params" />
###### Query String Params

| Field  | Type      | Description                           | Default |
|--------|-----------|---------------------------------------|---------|
| after? | snowflake | Get users after this user ID          | absent  |
| limit? | integer   | Max number of users to return (1-100) | 25      |
"""
    document = parse_text(page, "poll.mdx")
    assert [(b.method, b.target, b.line) for b in document.walk() if isinstance(b, Endpoint)] == [
        ("GET", "/channels/{channel.id}/polls/{message.id}/answers/{answer_id}", 5)
    ]
    assert "import" not in json.dumps([getattr(b, "text", "") for b in document.walk()])
    spec, _ = _spec({"poll.mdx": page})
    [op] = spec.operations
    assert (op.method, op.path, op.name) == ("GET", "/channels/{channel_id}/polls/{message_id}/answers/{answer_id}", "get_answer_voters")
    assert op.summary == "Get a list of users that voted for this specific answer."


def test_self_closing_component_with_a_path_attribute() -> None:
    document = parse_text('# Charges\n\n<Endpoint method="post" path="/v1/charges" />\n\nCreates a charge.\n', "c.mdx")
    assert [(b.method, b.target) for b in document.walk() if isinstance(b, Endpoint)] == [("POST", "/v1/charges")]


def test_hugo_page_definition_lists_shortcodes_and_http_request_line() -> None:
    page = """---
title: bookmarks API methods
---

## View bookmarked statuses {#get}

```http
GET /api/v1/bookmarks HTTP/1.1
```

Statuses the user has bookmarked.

**Returns:** Array of [Status]({{< relref "entities/status" >}})\\
**OAuth:** User token + `read:bookmarks`

### Request
##### Headers

Authorization
: {{<required>}} Provide this header with `Bearer <user_token>` to gain authorized access to this API method.

##### Query parameters

max_id
: **Internal parameter.** Use HTTP `Link` header for pagination.

limit
: Integer. Maximum number of results to return. Defaults to 20 statuses. Max 40 statuses.

##### Form data parameters

title
: {{<required>}} String. The name.
"""
    document = parse_text(page, "bookmarks.md")
    [query] = [b for b in document.walk() if isinstance(b, DefinitionList) and b.items[0].term == "max_id"]
    assert [(i.term, i.line) for i in query.items] == [("max_id", 24), ("limit", 27)]
    spec, _ = _spec({"bookmarks.md": page})
    [op] = spec.operations
    assert (op.method, op.path) == ("GET", "/api/v1/bookmarks")
    found = {(p.location, p.name): p.required for p in op.parameters}
    assert found == {("query", "max_id"): False, ("query", "limit"): False, ("body", "title"): True}
    assert [s.kind for s in spec.security_schemes] == ["bearer"]


def test_os_api_ref_parameters_and_examples_come_from_the_files_the_page_names(tmp_path: Path) -> None:
    source = tmp_path / "api-ref" / "source"
    samples = tmp_path / "doc" / "api_samples" / "flavors"
    source.mkdir(parents=True)
    samples.mkdir(parents=True)
    (source / "parameters.yaml").write_text(
        "flavor_id:\n  in: path\n  required: true\n  type: string\n  description: The ID of the flavor.\n"
        "limit:\n  in: query\n  required: false\n  type: integer\n  description: Requests a page size of items.\n"
        "flavor:\n  in: body\n  required: true\n  type: object\n  description: A flavor.\n"
        "flavor_name:\n  in: body\n  required: true\n  type: string\n  description: The name.\n"
    )
    (samples / "flavor-get-resp.json").write_text('{"flavor": {"id": "1", "name": "m1.tiny"}}')
    (source / "flavors.inc").write_text(""".. -*- rst -*-

Show Flavor Details
===================

.. rest_method:: GET /flavors/{flavor_id}

Shows details for a flavor.

Normal response codes: 200

Request
-------

.. rest_parameters:: parameters.yaml

  - flavor_id: flavor_id
  - limit: limit

Response
--------

.. rest_parameters:: parameters.yaml

  - flavor: flavor
  - name: flavor_name

.. literalinclude:: ../../doc/api_samples/flavors/flavor-get-resp.json
   :language: javascript
""")
    narrow = extract("nova", [source], root=tmp_path)  # the samples lie outside what was named
    assert [d.message for d in narrow.diagnostics if "outside the docs folders" in d.message]
    assert [r.example for r in narrow.spec.operations[0].responses] == [None]
    result = extract("nova", [tmp_path], root=tmp_path)
    [op] = result.spec.operations
    assert (op.method, op.path) == ("GET", "/flavors/{flavor_id}")
    assert {(p.location, p.name, p.required) for p in op.parameters} == {("path", "flavor_id", True), ("query", "limit", False)}
    [ok] = [r for r in op.responses if r.status == "200"]
    assert ok.example == {"flavor": {"id": "1", "name": "m1.tiny"}}
    assert sorted(ok.schema.properties) == ["flavor"]
    assert not [d for d in result.diagnostics if d.level == "error"], [str(d) for d in result.diagnostics]


def test_an_include_outside_the_docs_folder_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"password": "hunter2"}')
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.rst").write_text(f"Get Thing\n=========\n\n.. rest_method:: GET /thing\n\n.. literalinclude:: {secret}\n\n.. literalinclude:: ../secret.json\n")
    result = extract("demo", [docs], root=docs)
    assert "hunter2" not in repr(result.spec)
    # an absolute target is below the docs' folder, as Sphinx reads it: not there
    assert [(d.level, d.line) for d in result.diagnostics if "included file" in d.message] == [("note", 6), ("warning", 8)]
    assert "outside" in result.diagnostics[-1].message
    assert [b for b in parse_text((docs / "a.rst").read_text(), "a.rst").children[0].children if isinstance(b, Include)]


def test_a_conventions_page_gives_the_base_url_and_its_path_prefix() -> None:
    spec, _ = _spec({
        "reference.mdx": "# Reference\n\n**Base URL**\n\n```bash\nhttps://discord.com/api\n```\n\n**Image Base URL**\n\n```\nhttps://cdn.discordapp.com/\n```\n",
        "guild.mdx": '## Get Guild\n<Route method="GET">/guilds/{guild.id}</Route>\n\nReturns the guild.\n',
        "readme.md": "# API\n\nAll URLs start with:\n    https://api.example.org/$ACCOUNT_ID/api/\n",
    })
    assert [s.url for s in spec.servers][:2] == ["https://discord.com/api", "https://api.example.org/{account_id}/api"]
    assert spec.servers[0].source == "reference.mdx:6"
    assert [op.path for op in spec.operations] == ["/guilds/{guild_id}"]


def test_enumerations_written_in_words() -> None:
    from generator.extract.enums import prose_enum

    assert prose_enum("One of `followed`, `list`, or `none`.") == ["followed", "list", "none"]
    assert prose_enum("Specify `warn`, `hide` or `blur`.") == ["warn", "hide", "blur"]
    assert prose_enum("Sort direction: `asc` or `desc`") == ["asc", "desc"]
    assert prose_enum("The sort keys are limited to:\n\n- ``created_at``\n- ``id``\n") == ["created_at", "id"]
    assert prose_enum("either `0` or `1`") == [0, 1]
    # examples, one value, and a run that goes on are no enumeration
    assert prose_enum("e.g. `v9` or `v10`") is None
    assert prose_enum("Must be `S256`.") is None
    assert prose_enum("one of the `redirect_uris` declared during registration") is None
    assert prose_enum("Use HTTP `Link` header or `max_id` for pagination.") is None


def test_returned_object_and_value_tables_come_from_the_pages_they_link_to() -> None:
    spec, _ = _spec({
        "channel.mdx": """# Channel

### Channel Object

Represents a channel.

###### Channel Structure

| Field | Type    | Description |
|-------|---------|-------------|
| id    | snowflake | the id of this channel |
| type  | integer | the [type of channel](#channel-types) |
| topic? | ?string | the topic, see [text formatting](#formatting) |

<ManualAnchor id="channel-types" />
###### Channel Types

| Type       | ID | Description |
|------------|----|-------------|
| GUILD_TEXT | 0  | a text channel |
| DM         | 1  | a direct message |

## Get Channel
<Route method="GET">/channels/{channel.id}</Route>

Returns a [channel](#channel-object) object.

## List Channels
<Route method="GET">/channels</Route>

Returns a list of [channel](/developers/resources/channel#channel-object) objects.
""",
    })
    get, listing = spec.operations
    assert get.responses[0].schema.ref == "Channel" and listing.responses[0].schema.items.ref == "Channel"
    channel = spec.schemas["Channel"]
    assert sorted(channel.properties) == ["id", "topic", "type"]
    assert channel.properties["type"].enum == [0, 1]
    assert channel.properties["topic"].nullable and not channel.properties["topic"].enum
    assert channel.required == ["id", "type"]


def test_curl_commands_as_docs_print_them() -> None:
    from generator.extract.http_examples import parse_messages

    def one(text: str):
        [message] = parse_messages(text)
        return message

    glued = one("curl -XPOST -H'Accept: application/json' https://api.x.test/v1/items")
    assert (glued.method, glued.target, glued.headers) == ("POST", "https://api.x.test/v1/items", [("Accept", "application/json")])
    # a JSON body whose quote stays open over several lines, without backslashes
    body = one("$ curl -X POST https://api.x.test/v1/items \\\n  -H \"Authorization: Bearer $TOKEN\" \\\n  -d '{\n    \"name\": \"x\"\n  }'\necho done")
    assert json.loads(body.body) == {"name": "x"} and body.line == 1
    # an option's value is never the URL
    assert one("curl -o out.json -A agent https://api.x.test/v1/items/3").target == "https://api.x.test/v1/items/3"
    get = one("curl -G https://api.x.test/v1/search --data-urlencode 'q=a b' -d limit=5")
    assert (get.method, get.target, get.form) == ("GET", "https://api.x.test/v1/search?q=a b&limit=5", [])
    multipart = one("curl -F file=@photo.jpg -F name=x https://api.x.test/v1/media")
    assert (multipart.method, multipart.multipart, multipart.form) == ("POST", True, [("file", "@photo.jpg"), ("name", "x")])
    assert one("curl --data-binary @big.bin https://api.x.test/v1/upload").method == "POST"
    assert one("curl https://api.x.test/$ACCOUNT_ID/items/${ITEM}").target == "https://api.x.test/{ACCOUNT_ID}/items/{ITEM}"
    assert one("curl --user key: https://api.x.test/v1/me").user == "key:"


TODOS = """Todos
=====

Get todos
---------

* `GET /projects/1/todolists/1/todos.json` shows the todos of the list with ID `1`.

```json
[
  {
    "id": 1,
    "content": "Sip coffee",
    "completed": false
  }
]
```

Get todo
--------

* `GET /projects/1/todos/2.json` will return the specified todo.

Create todo
-----------

* `POST /projects/1/todolists/1/todos.json` will create a new todo from the parameters passed.

Required parameters:

* `content` - string, what to do

Optional parameters:

* `due_at` - date, when it is due
* `assignee` - object with `id` and `type` (either `Person` or `Group`)

```json
{
  "content": "Sip coffee",
  "due_at": "2012-03-27"
}
```

This will return `201 Created`, with the location of the new todo in the `Location` header.

Delete todo
-----------

* `DELETE /projects/1/todos/1.json` will delete the todo specified and return `204 No Content` if that was successful.
"""


def test_prose_list_docs_with_example_ids_and_statuses_in_words() -> None:
    """GitHub-hosted docs (Basecamp's style): endpoints as list items with example
    IDs, "Required parameters:" lists, "This will return `201 Created`"."""
    spec, _ = _spec({"todos.md": TODOS})
    found = {(op.method, op.path): op for op in spec.operations}
    assert sorted(found) == [
        ("DELETE", "/projects/{project_id}/todos/{todo_id}.json"),
        ("GET", "/projects/{project_id}/todolists/{todolist_id}/todos.json"),
        ("GET", "/projects/{project_id}/todos/{todo_id}.json"),
        ("POST", "/projects/{project_id}/todolists/{todolist_id}/todos.json"),
    ]
    create = found[("POST", "/projects/{project_id}/todolists/{todolist_id}/todos.json")]
    assert create.name == "create_todo"
    assert {p.name: p.required for p in create.parameters if p.location == "body"} == {"content": True, "due_at": False, "assignee": False}
    assert [r.status for r in create.responses] == ["201"]
    assert [r.status for r in found[("DELETE", "/projects/{project_id}/todos/{todo_id}.json")].responses] == ["204"]
    listing = found[("GET", "/projects/{project_id}/todolists/{todolist_id}/todos.json")].responses[0].schema
    assert listing.type == "array" and sorted(listing.items.properties) == ["completed", "content", "id"]


HTTPDOMAIN = """Users
=====

.. http:get:: /users/(int:user_id)/posts/(string:slug)

   The posts of a user.

   :param user_id: the user's ID
   :param slug: the post's slug
   :query sort: one of ``hit``, ``created-at``
   :query int offset: offset number. default is 0
   :reqheader Accept: the response content type
   :resheader Content-Type: the type
   :>jsonarr int id: post ID
   :>jsonarr string title: post title
   :statuscode 200: no error
   :statuscode 404: there's no user

.. http:post:: /users/

   Creates a user.

   :Request JSON Object:
      * **name** (*string*) -- the user's name
      * **email** (*string*) -- the user's email
   :Response JSON Object:
      * **id** (*integer*) -- the new ID
   :Status Codes:
      * 201 Created -- created
      * 400 Bad Request -- invalid

   **Example request**:

   .. sourcecode:: http

      POST /users/ HTTP/1.1
      Host: api.example.org
      Content-Type: application/json

      {"name": "ann", "email": "a@b.c"}
"""


def test_httpdomain_in_full_each_directive_owns_its_fields() -> None:
    spec, _ = _spec({"users.rst": HTTPDOMAIN})
    get, post = spec.operations
    assert (get.method, get.path, post.method, post.path) == ("GET", "/users/{user_id}/posts/{slug}", "POST", "/users")
    assert {(p.location, p.name) for p in get.parameters} == {("path", "user_id"), ("path", "slug"), ("query", "sort"), ("query", "offset")}
    [sort] = [p for p in get.parameters if p.name == "sort"]
    assert sort.schema.enum == ["hit", "created-at"]
    ok = get.responses[0].schema
    assert ok.type == "array" and {k: v.type for k, v in ok.items.properties.items()} == {"id": "integer", "title": "string"}
    assert [r.status for r in get.responses] == ["200", "404"]
    assert {p.name for p in post.parameters} == {"name", "email"}  # the GET's fields stay the GET's
    assert [r.status for r in post.responses] == ["201", "400"]
    assert post.body is not None and post.body.example == {"name": "ann", "email": "a@b.c"}
    assert list(post.responses[0].schema.properties) == ["id"]


def test_pages_an_index_includes_are_read_as_pages(tmp_path: Path) -> None:
    (tmp_path / "index.rst").write_text("API\n===\n\n.. include:: servers.inc\n.. include:: missing.inc\n.. include:: ../outside.inc\n")
    (tmp_path / "servers.inc").write_text("List Servers\n============\n\n.. rest_method:: GET /servers\n\nLists servers.\n")
    (tmp_path.parent / "outside.inc").write_text("Secret\n======\n\n.. rest_method:: GET /secret\n")
    result = extract("demo", [tmp_path / "index.rst"], root=tmp_path)
    assert [(op.method, op.path, op.source) for op in result.spec.operations] == [("GET", "/servers", "servers.inc:4")]


def test_mdx_containers_hold_markdown_and_supported_headers_are_parameters() -> None:
    spec, _ = _spec({"emoji.mdx": """## Delete Guild Emoji
<Route method="DELETE">/guilds/{guild.id}/emojis/{emoji.id}</Route>

Delete the given emoji. Returns `204 No Content` on success.

<Info>
This endpoint supports the `X-Audit-Log-Reason` header.
</Info>
"""})
    [op] = spec.operations
    assert [(p.location, p.name, p.required) for p in op.parameters if p.location == "header"] == [("header", "X-Audit-Log-Reason", False)]
    assert [r.status for r in op.responses] == ["204"]


def test_api_keys_in_request_headers_and_operations_without_auth() -> None:
    spec, _ = _spec({
        "widget.md": '# Get widget\n\nGET /v1/widgets/{id}\n\n```\ncurl -H "X-Api-Key: abc123" https://api.widgets.test/v1/widgets/7\n```\n',
        "bot.md": '# Get me\n\nGET /v1/me\n\n```\ncurl -H "Authorization: Bot MTk4NjIy" https://api.widgets.test/v1/me\n```\n',
        "health.md": "# Health\n\nGET /v1/health\n\nNo authentication is required.\n",
    })
    schemes = {s.name: (s.kind, s.location, s.param) for s in spec.security_schemes}
    assert schemes == {"x_api_key": ("apiKey", "header", "X-Api-Key"), "authorization_key": ("apiKey", "header", "Authorization")}
    assert "abc123" not in repr(spec) and "MTk4NjIy" not in repr(spec)  # a key in an example never reaches the spec
    health = next(op for op in spec.operations if op.path.endswith("/health"))
    assert health.security == []


BLUEPRINT = """FORMAT: 1A
HOST: https://api.notes.test/v1

# Notes API

Notes API is a *short texts saving* service.

## Notes Collection [/notes]

### List All Notes [GET]

+ Response 200 (application/json)

        [
            {
                "id": 1, "title": "Jogging in park"
            }
        ]

### Create a Note [POST]

+ Request (application/json)

        { "title": "Buy cheese and bread for breakfast." }

+ Response 201 (application/json)

        { "id": 3, "title": "Buy cheese and bread for breakfast." }

## Note [/notes/{id}{?fields}]

A single Note object with all its details

+ Parameters
    + id (required, number, `1`) ... Numeric `id` of the Note to perform action with.
    + fields (optional, string) - Fields to return. One of `title`, `body`.

### Retrieve a Note [GET]

+ Response 200 (application/json)

        { "id": 2, "title": "Pick-up posters from post-office" }

### Remove a Note [DELETE]

+ Response 204
"""

SLATE = """---
title: API Reference
language_tabs:
  - shell
  - ruby
---

# Introduction

Welcome to the Kittn API!

# Authentication

> To authorize, use this code:

```shell
curl "api_endpoint_here" \\
  -H "Authorization: meowmeowmeow"
```

Kittn expects for the API key to be included in all API requests to the server in a header that looks like the following:

`Authorization: meowmeowmeow`

# Kittens

## Get All Kittens

```shell
curl "http://example.com/api/kittens" \\
  -H "Authorization: meowmeowmeow"
```

> The above command returns JSON structured like this:

```json
[
  {
    "id": 1,
    "name": "Fluffums",
    "breed": "calico",
    "fluffiness": 6,
    "cuteness": 7
  }
]
```

This endpoint retrieves all kittens.

### HTTP Request

`GET http://example.com/api/kittens`

### Query Parameters

Parameter | Default | Description
--------- | ------- | -----------
include_cats | false | If set to true, the result will also include cats.
available | true | If set to false, the result will include kittens that have already been adopted.

<aside class="success">
Remember — a happy kitten is an authenticated kitten!
</aside>

## Get a Specific Kitten

```shell
curl "http://example.com/api/kittens/2" \\
  -H "Authorization: meowmeowmeow"
```

> The above command returns JSON structured like this:

```json
{
  "id": 2,
  "name": "Max",
  "breed": "unknown",
  "fluffiness": 5,
  "cuteness": 10
}
```

This endpoint retrieves a specific kitten.

### HTTP Request

`GET http://example.com/kittens/<ID>`

### URL Parameters

Parameter | Description
--------- | -----------
ID | The ID of the kitten to retrieve

## Delete a Specific Kitten

```shell
curl "http://example.com/api/kittens/2" \\
  -X DELETE \\
  -H "Authorization: meowmeowmeow"
```

> The above command returns JSON structured like this:

```json
{
  "id": 2,
  "deleted" : ":("
}
```

This endpoint deletes a specific kitten.

### HTTP Request

`DELETE http://example.com/kittens/<ID>`

### URL Parameters

Parameter | Description
--------- | -----------
ID | The ID of the kitten to delete
"""


def test_api_blueprint_actions_parameters_requests_and_responses() -> None:
    spec, _ = _spec({"notes.md": BLUEPRINT})
    assert [s.url for s in spec.servers] == ["https://api.notes.test/v1"]
    found = {op.name: op for op in spec.operations}
    assert [(op.method, op.path) for op in spec.operations] == [
        ("GET", "/notes"), ("POST", "/notes"), ("GET", "/notes/{id}"), ("DELETE", "/notes/{id}")]
    assert [r.status for r in found["create_note"].responses] == ["201"]
    assert found["create_note"].body is not None and found["create_note"].body.example == {"title": "Buy cheese and bread for breakfast."}
    retrieve = found["retrieve_note"]
    params = {(p.location, p.name): p for p in retrieve.parameters}
    assert sorted(params) == [("path", "id"), ("query", "fields")]  # the resource's parameters are its actions'
    assert params[("path", "id")].schema.type == "number" and params[("query", "fields")].schema.enum == ["title", "body"]
    assert [r.status for r in found["remove_note"].responses] == ["204"]


def test_slate_pages_http_request_lines_and_parameter_tables() -> None:
    spec, _ = _spec({"kittens.md": SLATE})
    assert [(op.method, op.path, op.name) for op in spec.operations] == [
        ("GET", "/api/kittens", "get_all_kittens"), ("GET", "/kittens/{id}", "get_specific_kitten"), ("DELETE", "/kittens/{id}", "delete_specific_kitten")]
    kittens = spec.operations[0]
    assert {(p.name, p.default) for p in kittens.parameters} == {("include_cats", False), ("available", True)}
    assert sorted(kittens.responses[0].schema.items.properties) == ["breed", "cuteness", "fluffiness", "id", "name"]
    assert spec.servers == []  # example.com is no server
    assert [(s.kind, s.location, s.param) for s in spec.security_schemes] == [("apiKey", "header", "Authorization")]


def test_error_statuses_listed_in_bullets_are_documented_responses() -> None:
    spec, _ = _spec({"teams.md": "# Create team\n\nPOST /teams\n\nCreates a team. Returns `201 Created`.\n\nErrors:\n\n- 400 if the name is taken\n- 403 when you may not\n"})
    [op] = spec.operations
    assert [(r.status, r.description) for r in op.responses] == [("201", "Created"), ("400", "if the name is taken"), ("403", "when you may not")]


def test_a_parameter_table_with_an_in_column_says_where_each_row_goes() -> None:
    spec, _ = _spec({"tickets.md": """### Show Ticket

`GET /api/v2/tickets/{ticket_id}`

#### Parameters

| Name      | Type    | In    | Description |
| --------- | ------- | ----- | ----------- |
| ticket_id | integer | Path  | The ID of the ticket |
| include   | string  | Query | Sideloads. One of `users`, `groups` |
| X-On-Behalf-Of | string | Header | Act for another user |
"""})
    [op] = spec.operations
    assert [(p.location, p.name) for p in op.parameters] == [("path", "ticket_id"), ("query", "include"), ("header", "X-On-Behalf-Of")]


def test_one_method_and_path_declared_on_two_pages_is_kept_twice_and_said() -> None:
    """Issue 14 item 4: the second declaration's parameters and docs used to vanish."""
    spec, diagnostics = _spec({
        "a.md": "# Get user\n\nGET /users/{id}\n\n| Name | Required | Description |\n|---|---|---|\n| fields | no | Fields. |\n",
        "b.md": "# Get user (admin)\n\nGET /users/{user_id}\n\n| Name | Required | Description |\n|---|---|---|\n| audit | yes | Audit reason. |\n",
    })
    assert [(op.name, op.path, [p.name for p in op.parameters if p.location == "query"]) for op in spec.operations] == [
        ("get_user", "/users/{id}", ["fields"]), ("get_user_2", "/users/{id}", ["audit"])]
    [said] = [d for d in diagnostics if "also documented" in d.message]
    assert (said.path, said.line, said.level) == ("b.md", 3, "warning") and "a.md:3" in said.message


def test_an_authentication_section_states_every_calls_credential() -> None:
    page = "# API\n\n## Authentication\n\nSend your token in every request:\n\n```\nAuthorization: Bearer <token>\n```\n\n# Things\n\nGET /things\n\nLists things.\n\n# Health\n\nGET /health\n\nNo authentication is required.\n"
    spec, _ = _spec({"api.md": page})
    assert [(s.name, s.kind, s.source) for s in spec.security_schemes] == [("bearer", "bearer", "api.md:8")]
    assert spec.security == ["bearer"]
    assert [(op.name, op.security) for op in spec.operations] == [("things", None), ("health", [])]


def test_an_authentication_section_may_name_any_header_as_the_key() -> None:
    """A header the Authentication section names is the credential's, whatever its
    name (``X-Shopify-Access-Token`` is no usual API-key header name)."""
    page = "# API\n\n## Authentication\n\nEvery request carries your token:\n\n```\nX-Shopify-Access-Token: <token>\n```\n\n# Things\n\nGET /things\n\nLists things.\n"
    spec, _ = _spec({"api.md": page})
    assert [(s.kind, s.location, s.param) for s in spec.security_schemes] == [("apiKey", "header", "X-Shopify-Access-Token")]
    assert spec.security == [spec.security_schemes[0].name]


def test_a_page_that_groups_its_endpoints_under_headings_names_each_endpoints_group() -> None:
    """A one-page API whose ``## Users`` and ``## Orders`` sections each hold several
    endpoints: each endpoint records its heading, which is its resource."""
    readme = """# Shop API

## Users

### List users

`GET /v1/users`

### Create a user

`POST /v1/users`

## Orders

### List orders

`GET /v1/orders`

### Get an order

`GET /v1/orders/{order_id}`

### Cancel an order

`DELETE /v1/orders/{order_id}`
"""
    from generator.render.resources import resource_of

    spec, _ = _spec({"README.md": readme})
    assert {op.name: op.section for op in spec.operations} == {
        "list_users": "Users",
        "create_user": "Users",
        "list_orders": "Orders",
        "get_order": "Orders",
        "cancel_order": "Orders",
    }
    assert resource_of(spec) == {
        "list_users": "users", "create_user": "users",
        "list_orders": "orders", "get_order": "orders", "cancel_order": "orders",
    }
    rst = """Shop API
========

Users
-----

List users
~~~~~~~~~~

.. http:get:: /v1/users

Create a user
~~~~~~~~~~~~~

.. http:post:: /v1/users

Orders
------

List orders
~~~~~~~~~~~

.. http:get:: /v1/orders

Get an order
~~~~~~~~~~~~

.. http:get:: /v1/orders/(int:order_id)
"""
    spec, _ = _spec({"api.rst": rst})
    assert [op.section for op in spec.operations] == ["Users", "Users", "Orders", "Orders"]


def test_headings_that_are_not_groups_of_resources_name_no_group() -> None:
    """A heading per endpoint (the usual reference page), headings that are
    endpoints, and headings over paths that all start alike leave the grouping to
    the page."""
    per_endpoint = """# Accounts

## Register an account

`POST /api/v1/accounts`

## Get an account

`GET /api/v1/accounts/{id}`

## Get a status

`GET /api/v1/statuses/{id}`
"""
    endpoint_headings = """# Things

## /users

`GET /users`

`POST /users`

## /orders

`GET /orders`

`POST /orders`
"""
    one_family = """# Filters

## Server-side (v2) methods

### View all filters

`GET /api/v2/filters`

### Create a filter

`POST /api/v2/filters`

## Client-side (v1) methods

### View your filters

`GET /api/v1/filters`

### Create a filter (v1)

`POST /api/v1/filters`
"""
    for name, page in [("accounts.md", per_endpoint), ("things.md", endpoint_headings), ("filters.md", one_family)]:
        spec, _ = _spec({name: page})
        assert len(spec.operations) >= 3, name
        assert {op.section for op in spec.operations} == {""}, name
