"""Endpoints grouped into resources (``client.<resource>.<method>``): the grouping
rule on inline specs, overrides that rename or regroup, and the generated package
that results (lazy resource modules, raw responses and pollers on the resource,
models in the module of the one resource that uses them or shared)."""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from generator.overrides import apply_overrides
from generator.render import render_diagnostics, render_provider, write_tree
from generator.render.resources import group, resource_of
from generator.spec import Operation, Response, Schema, Server, Spec


def _op(name: str, path: str, source: str, method: str = "GET", **extra: Any) -> Operation:
    return Operation(name, method, path, source=source, **extra)


def _spec(*ops: Operation, **extra: Any) -> Spec:
    return Spec("shop", servers=[Server("https://api.shop.test/v1")], operations=list(ops), **extra)


def test_a_page_of_several_endpoints_is_one_resource_named_after_the_page() -> None:
    spec = _spec(
        _op("list_accounts", "/api/v1/accounts", "docs/methods/accounts.md:10"),
        _op("get_status", "/api/v1/statuses/{id}", "docs/methods/accounts.md:40"),
        _op("get_order", "/api/v1/orders/{id}", "docs/get-order.md:3"),
    )
    assert resource_of(spec) == {"list_accounts": "accounts", "get_status": "accounts", "get_order": "orders"}


def test_one_endpoint_pages_group_by_the_first_static_path_segment() -> None:
    spec = _spec(
        _op("get_job_information", "/jobs/{job_id}", "docs/get-job-information.md:42"),
        _op("list_jobs", "/jobs", "docs/list-jobs.md:5"),
        _op("run_job", "/v2/jobs", "docs/run-job.md:5", method="POST"),
        _op("job_info", "/api/1.0/job/info", "docs/job_info.rst:8"),
        _op("root", "/{tenant}", "docs/tenant-root.md:1"),
        _op("made_by_override", "/{x}", "override:specs/shop.overrides.yaml:3"),
    )
    assert resource_of(spec) == {
        "get_job_information": "jobs",
        "list_jobs": "jobs",
        "run_job": "jobs",  # the version prefix is skipped
        "job_info": "job",
        "root": "tenant_root",  # no static segment: the page's name
        "made_by_override": "api",  # neither page nor segment
    }


def test_generic_and_clashing_page_names_take_their_folder() -> None:
    spec = _spec(
        _op("a", "/x/a", "docs/admin/accounts.md:1"),
        _op("b", "/x/b", "docs/admin/accounts.md:9"),
        _op("c", "/y/c", "docs/accounts.md:1"),
        _op("d", "/y/d", "docs/accounts.md:9"),
        _op("e", "/z/e", "docs/servers/index.rst:1"),
        _op("f", "/z/f", "docs/servers/index.rst:9"),
    )
    assert resource_of(spec) == {
        "a": "admin_accounts", "b": "admin_accounts",
        "c": "docs_accounts", "d": "docs_accounts",
        "e": "servers", "f": "servers",
    }


def test_an_override_renames_or_regroups_and_reserved_names_are_renamed_with_a_warning() -> None:
    spec = _spec(
        _op("list_jobs", "/jobs", "docs/list-jobs.md:5"),
        _op("get_job", "/jobs/{id}", "docs/get-job.md:5"),
        _op("shutdown", "/close", "docs/close.md:5"),
    )
    overrides = "operations:\n  get_job: {resource: Job Runs}\n"
    merged, found = apply_overrides(spec, overrides, "specs/shop.overrides.yaml")
    assert found == []
    assert resource_of(merged) == {"list_jobs": "jobs", "get_job": "job_runs", "shutdown": "close_"}
    renames = [str(r) for r in group(merged)[1]]
    assert renames == ["docs/close.md:5: resource 'close' is generated as 'close_': 'close' is reserved in Python or the generated code"]
    warnings = [str(d) for d in render_diagnostics(merged, "specs/shop.yaml")]
    assert any(w.startswith("docs/close.md:5: warning: resource 'close'") for w in warnings), warnings


def test_a_pages_heading_groups_before_the_page_and_an_override_before_both(tmp_path: Path) -> None:
    spec = _spec(
        _op("list_users", "/users", "docs/README.md:5", section="User management"),
        _op("create_user", "/users", "docs/README.md:9", method="POST", section="User management"),
        _op("list_orders", "/orders", "docs/README.md:20", section="Orders"),
        _op("get_order", "/orders/{id}", "docs/README.md:25", section="Orders"),
        _op("ping", "/ping", "docs/README.md:40"),
    )
    assert resource_of(spec) == {
        "list_users": "user_management", "create_user": "user_management",
        "list_orders": "orders", "get_order": "orders",
        "ping": "docs",  # the page's (a generic README takes its folder's name)
    }
    merged, found = apply_overrides(spec, "operations:\n  get_order: {resource: shipping}\n", "specs/shop.overrides.yaml")
    assert found == []
    assert resource_of(merged)["get_order"] == "shipping"
    files = render_provider(spec, "specs/shop.yaml")
    module = files["shop_client/resources/user_management.py"]
    assert 'the section "User management" of the page docs/README.md' in module

    from generator.openapi import to_openapi

    document = to_openapi(spec)
    assert document["paths"]["/users"]["get"]["tags"] == ["User management"]
    assert "tags" not in document["paths"]["/ping"]["get"]


SHARED = Schema(type="object", properties={"id": Schema(type="integer"), "note": Schema(type="string")})


def _package(tmp_path: Path, name: str) -> Any:
    spec = Spec(
        name,
        servers=[Server("https://api.shop.test")],
        operations=[
            _op("get_order", "/orders/{order_id}", "docs/orders.md:3",
                responses=[Response("200", schema=Schema(type="object", properties={
                    "id": Schema(type="integer"), "state": Schema(type="string", enum=["open", "done"]),
                    "owner": Schema(ref="Owner")}))]),
            _op("list_orders", "/orders", "docs/orders.md:30",
                responses=[Response("200", schema=Schema(type="array", items=Schema(ref="Owner")))]),
            _op("get_owner", "/owners/{owner_id}", "docs/owners.md:3",
                responses=[Response("200", schema=Schema(ref="Owner"))]),
        ],
        schemas={"Owner": SHARED},
    )
    files = render_provider(spec, f"specs/{name}.yaml")
    write_tree(tmp_path / name, files)
    sys.path.insert(0, str(tmp_path / name))
    try:
        return importlib.import_module(f"{name}_client"), files
    finally:
        sys.path.remove(str(tmp_path / name))


def test_one_module_per_resource_with_its_own_models_and_the_shared_ones_apart(tmp_path: Path) -> None:
    sdk, files = _package(tmp_path, "shop_layout")
    assert sorted(p for p in files if "/resources/" in p) == [
        "shop_layout_client/resources/__init__.py",
        "shop_layout_client/resources/orders.py",
        "shop_layout_client/resources/owners.py",
    ]
    assert sorted(p for p in files if "/cases/" in p) == [
        "shop_layout_tests/cases/orders.json",
        "shop_layout_tests/cases/owners.json",
    ]
    assert "class Owner(_rt.Model)" in files["shop_layout_client/models.py"]  # two resources use it
    orders = files["shop_layout_client/resources/orders.py"]
    assert "class GetOrderResponse(_rt.Model)" in orders and "class GetOrderResponseState(" in orders
    assert "from ..models import Owner" in orders
    assert "GetOrderResponse" not in files["shop_layout_client/resources/owners.py"]


def test_resources_are_imported_when_first_used_and_carry_raw_responses_and_pollers(tmp_path: Path) -> None:
    sdk, _ = _package(tmp_path, "shop_lazy")
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": 7, "state": "done", "owner": {"id": 1}})

    client = sdk.Client(http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    assert "shop_lazy_client.resources.orders" not in sys.modules
    order = client.orders.get_order(order_id=7)
    assert "shop_lazy_client.resources.orders" in sys.modules
    assert "shop_lazy_client.resources.owners" not in sys.modules
    assert type(order).__name__ == "GetOrderResponse" and order.owner.id == 1
    raw = client.orders.with_raw_response.get_order(order_id=7)
    assert isinstance(raw, sdk.RawResponse) and raw.status_code == 200 and raw.parse() == order
    assert client.orders is client.orders  # one resource object per client
    assert client.orders.wait_for_order(order_id=7, poll_interval=0.0).state == "done"
    assert [str(r.url) for r in seen] == ["https://api.shop.test/orders/7"] * 3

    async def main() -> Any:
        transport = httpx.MockTransport(handler)
        async with sdk.AsyncClient(http_client=httpx.AsyncClient(transport=transport)) as aclient:
            raw = await aclient.orders.with_raw_response.get_order(order_id=7)
            return await aclient.orders.get_order(order_id=7), raw

    parsed, raw = asyncio.run(main())
    assert parsed == order and isinstance(raw, sdk.RawResponse) and raw.parse() == order


def test_the_generated_tests_pass_and_fail_when_the_client_misbehaves(tmp_path: Path) -> None:
    _package(tmp_path, "shop_selftest")
    root = tmp_path / "shop_selftest"
    run = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(root)]
    done = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "test_request[orders.get_order]" in subprocess.run(
        [*run, "--collect-only"], capture_output=True, text=True, cwd=tmp_path, check=False
    ).stdout
    module = root / "shop_selftest_client/resources/orders.py"
    module.write_text(module.read_text().replace('{"order_id": "path"}', '{"order_id": "query"}', 1))
    broken = subprocess.run(run, capture_output=True, text=True, cwd=tmp_path, check=False)
    assert broken.returncode == 1 and "test_request[orders.get_order]" in broken.stdout


def test_generated_import_lists_are_in_ruffs_order(tmp_path: Path) -> None:
    """Class names and module names the naming path can give, imported in the order
    ``isort_key`` puts them: ruff's isort (default settings) changes nothing."""
    import random

    from generator import naming
    from generator.render.modules import isort_key

    rng = random.Random(7)
    words = ["a", "B", "id", "ID", "x1", "A2", "b10", "Ab", "aB", "_", "2", "Url", "URL", "ab"]
    members = sorted({naming.pascal(" ".join(rng.choices(words, k=rng.randint(1, 3))), "M") for _ in range(300)})
    modules = sorted({naming.snake(" ".join(rng.choices(words, k=rng.randint(1, 3))), "m") for _ in range(60)})
    lines = ["from __future__ import annotations", "", "from typing import TYPE_CHECKING", "", "if TYPE_CHECKING:"]
    for module in sorted(modules, key=lambda m: isort_key(f"resources.{m}", member=False)):
        lines.append(f"    from .resources.{module} import A")
    lines += ["", "from .models import ("]
    lines += [f"    {name}," for name in sorted(members, key=isort_key)]
    lines += [")", ""]
    source = tmp_path / "pkg" / "mod.py"
    source.parent.mkdir()
    source.write_text("\n".join(lines))
    done = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--select", "I", "--diff", str(source)],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stdout


def _server_package(tmp_path: Path, name: str, server: Server) -> Any:
    spec = Spec(name, servers=[server], operations=[_op("get_order", "/orders/{order_id}", "docs/orders.md:3")])
    write_tree(tmp_path / name, render_provider(spec, f"specs/{name}.yaml"))
    sys.path.insert(0, str(tmp_path / name))
    try:
        return importlib.import_module(f"{name}_client")
    finally:
        sys.path.remove(str(tmp_path / name))


def test_base_url_makes_server_variables_optional(tmp_path: Path) -> None:
    """Issue 14, item 13: a server variable with no documented value is needed only
    when base_url is not given; without either, the constructor says what to pass."""
    from generator.spec import ServerVariable

    sdk = _server_package(
        tmp_path, "shop_vars", Server("https://api.shop.test/{account_id}/api", variables=[ServerVariable("account_id", "")])
    )
    assert sdk.Client(base_url="http://localhost:1")._config.base_url == "http://localhost:1"
    assert sdk.Client(account_id="acme")._config.base_url == "https://api.shop.test/acme/api"
    with pytest.raises(sdk.APIError, match=r"no server URL: pass account_id= \(.*\), or base_url="):
        sdk.Client()


@pytest.mark.parametrize(
    ("url", "default"),
    [("https://api.{domain}", "your-domain.com"), ("https://{host}/v2", "<domain>"), ("https://api.your-domain.com/v2", None)],
)
def test_a_placeholder_host_from_the_docs_is_never_a_working_default(tmp_path: Path, url: str, default: str | None) -> None:
    """``api.your-domain.com`` or ``<domain>`` in the docs: the constructor requires
    base_url (or the variable) and says why, instead of calling a host that does not exist."""
    from generator.spec import ServerVariable

    variables = [ServerVariable(url[url.index("{") + 1 : url.index("}")], default)] if default else []
    name = f"shop_placeholder_{len(url)}"
    sdk = _server_package(tmp_path, name, Server(url, variables=variables))
    with pytest.raises(sdk.APIError, match="placeholder") as caught:
        sdk.Client()
    assert "base_url=" in str(caught.value)
    assert sdk.Client(base_url="https://real.example.net")._config.base_url == "https://real.example.net"
