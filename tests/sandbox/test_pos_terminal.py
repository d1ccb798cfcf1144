"""The POS emulator's Stripe side over HTTP: auth, lists, paging, filters, retrieval, errors."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sandbox.server import EmbeddedSandbox

ACME_LLC = "001000000000001AAA"
NORTHWIND = "001000000000003AAA"
NEWER_CHARGE, OLDER_CHARGE = "ch_1AcmeBakery0000002", "ch_1AcmeBakery0000001"

# (list path, object name, an id in the mini world)
RESOURCES = [
    ("/v1/terminal/hardware_orders", "terminal.hardware_order", "thor_1AcmeBakery0000001"),
    ("/v1/terminal/readers", "terminal.reader", "tmr_1AcmeBakery0000001"),
    ("/v1/charges", "charge", OLDER_CHARGE),
]


@pytest.fixture
def pos(mini_sandbox: EmbeddedSandbox) -> Iterator[httpx.Client]:
    key = mini_sandbox.ctx.options.credentials.pos_api_key
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=mini_sandbox.system_url("pos"), headers=headers) as client:
        yield client


def stripe_error(response: httpx.Response, status: int) -> dict:
    """Checks Stripe's error envelope and returns the error object."""
    assert response.status_code == status
    body = response.json()
    assert list(body) == ["error"]
    return body["error"]


def charge_ids(pos: httpx.Client, **params: object) -> tuple[list[str], bool]:
    body = pos.get("/v1/charges", params=params).json()
    return [charge["id"] for charge in body["data"]], body["has_more"]


@pytest.mark.parametrize(("path", "object_name", "object_id"), RESOURCES)
def test_list_is_a_stripe_list_of_typed_objects(
    pos: httpx.Client, path: str, object_name: str, object_id: str
) -> None:
    body = pos.get(path).json()
    assert (body["object"], body["url"], body["has_more"]) == ("list", path, False)
    assert {item["object"] for item in body["data"]} == {object_name}
    assert object_id in [item["id"] for item in body["data"]]


@pytest.mark.parametrize(("path", "object_name", "object_id"), RESOURCES)
def test_retrieve_by_id(pos: httpx.Client, path: str, object_name: str, object_id: str) -> None:
    item = pos.get(f"{path}/{object_id}").json()
    assert (item["id"], item["object"], item["livemode"]) == (object_id, object_name, False)
    assert item["metadata"]["account_id"] == ACME_LLC


def test_reader_reports_its_failed_activation(pos: httpx.Client) -> None:
    reader = pos.get("/v1/terminal/readers/tmr_1AcmeBakery0000001").json()
    assert reader["status"] == "online"
    assert (reader["action"]["status"], reader["action"]["failure_code"]) == ("failed", "E-104")


@pytest.mark.parametrize(
    ("path", "noun"),
    [
        ("/v1/terminal/readers/tmr_x", "reader"),
        ("/v1/terminal/hardware_orders/thor_x", "hardware_order"),
        ("/v1/charges/ch_x", "charge"),
    ],
)
def test_unknown_object_is_resource_missing(pos: httpx.Client, path: str, noun: str) -> None:
    error = stripe_error(pos.get(path), 404)
    object_id = path.rsplit("/", 1)[1]
    assert error == {
        "type": "invalid_request_error",
        "code": "resource_missing",
        "message": f"No such {noun}: '{object_id}'",
        "param": "id",
    }


def test_metadata_filter(pos: httpx.Client) -> None:
    assert charge_ids(pos, **{"metadata[account_id]": ACME_LLC}) == (
        [NEWER_CHARGE, OLDER_CHARGE],
        False,
    )
    assert charge_ids(pos, **{"metadata[account_id]": NORTHWIND}) == ([], False)


def test_default_list_is_newest_first(pos: httpx.Client) -> None:
    created = [charge["created"] for charge in pos.get("/v1/charges").json()["data"]]
    assert len(created) == 2
    assert created == sorted(created, reverse=True)


def test_cursor_paging_forward_and_back(pos: httpx.Client) -> None:
    assert charge_ids(pos, limit=1) == ([NEWER_CHARGE], True)
    assert charge_ids(pos, limit=1, starting_after=NEWER_CHARGE) == ([OLDER_CHARGE], False)
    assert charge_ids(pos, limit=1, ending_before=OLDER_CHARGE) == ([NEWER_CHARGE], False)


def test_cursor_naming_a_filtered_out_object_still_pages(pos: httpx.Client) -> None:
    params = {"metadata[account_id]": NORTHWIND, "starting_after": NEWER_CHARGE}
    assert charge_ids(pos, **params) == ([], False)


@pytest.mark.parametrize(
    ("params", "param", "code"),
    [
        ({"limit": 0}, "limit", None),
        ({"limit": 101}, "limit", None),
        ({"limit": "ten"}, "limit", "parameter_invalid_integer"),
        ({"status": "online"}, "status", "parameter_unknown"),
        ({"starting_after": "ch_nope"}, "starting_after", "resource_missing"),
        ({"ending_before": "ch_nope"}, "ending_before", "resource_missing"),
    ],
)
def test_bad_list_parameters(pos: httpx.Client, params: dict, param: str, code: str | None) -> None:
    error = stripe_error(pos.get("/v1/charges", params=params), 400)
    assert (error["type"], error["param"], error.get("code")) == (
        "invalid_request_error",
        param,
        code,
    )


def test_both_cursors_at_once_are_refused(pos: httpx.Client) -> None:
    params = {"starting_after": NEWER_CHARGE, "ending_before": OLDER_CHARGE}
    error = stripe_error(pos.get("/v1/charges", params=params), 400)
    assert error["code"] == "parameters_exclusive"


def test_unknown_path_is_a_stripe_404(pos: httpx.Client) -> None:
    error = stripe_error(pos.get("/v1/terminal/locations"), 404)
    assert error["message"].startswith("Unrecognized request URL (GET: /v1/terminal/locations)")


def test_basic_auth_with_the_key_as_username(mini_sandbox: EmbeddedSandbox) -> None:
    key = mini_sandbox.ctx.options.credentials.pos_api_key
    response = httpx.get(f"{mini_sandbox.system_url('pos')}/v1/charges", auth=(key, ""))
    assert response.status_code == 200


def test_missing_key_is_refused(mini_sandbox: EmbeddedSandbox) -> None:
    response = httpx.get(f"{mini_sandbox.system_url('pos')}/v1/charges")
    assert stripe_error(response, 401)["message"].startswith("You did not provide an API key")


@pytest.mark.parametrize(
    "authorization",
    ["Bearer sk_test_wrong0000key9876", "Basic c2tfdGVzdF93cm9uZzAwMDBrZXk5ODc2Og=="],
    ids=["bearer", "basic"],
)
def test_invalid_key_is_refused_and_redacted(
    mini_sandbox: EmbeddedSandbox, authorization: str
) -> None:
    url = f"{mini_sandbox.system_url('pos')}/v1/terminal/readers"
    response = httpx.get(url, headers={"Authorization": authorization})
    error = stripe_error(response, 401)
    assert error == {
        "type": "invalid_request_error",
        "message": "Invalid API Key provided: sk_test_************9876",
    }
    assert response.headers["WWW-Authenticate"].startswith("Basic")
