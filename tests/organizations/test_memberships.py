"""Membership lifecycle: invitation, request, decisions, role changes, removal and re-joining."""

from __future__ import annotations

from httpx import AsyncClient

from tests import factories
from tests.core.problem_shape import assert_problem

ORGS = "/api/v1/organizations"
MEMBERSHIPS = "/api/v1/memberships"


async def _org(client: AsyncClient) -> tuple[factories.Account, dict[str, object]]:
    owner = await factories.account(client, "owner")
    return owner, await factories.organization(client, owner)


async def _invite(
    client: AsyncClient, by: factories.Account, org: dict[str, object], invitee: factories.Account
) -> dict[str, object]:
    response = await client.post(
        f"{ORGS}/{org['id']}/invitations", json={"email": invitee.email}, headers=by.headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _request(
    client: AsyncClient, org: dict[str, object], applicant: factories.Account
) -> dict[str, object]:
    response = await client.post(f"{ORGS}/{org['id']}/membership-requests", headers=applicant.headers)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def _sees_private(client: AsyncClient, org: dict[str, object], who: factories.Account) -> bool:
    body = (await client.get(f"{ORGS}/{org['id']}", headers=who.headers)).json()
    return body["contact_phone"] is not None


async def test_invite_then_accept_makes_an_active_member(client: AsyncClient) -> None:
    owner, org = await _org(client)
    invitee = await factories.account(client)
    invitation = await _invite(client, owner, org, invitee)
    assert invitation["status"] == "invited"
    assert invitation["role"] == "member"
    assert invitation["requested_by_id"] == owner.id
    assert not await _sees_private(client, org, invitee)  # an invitation is not yet a membership

    mine = (await client.get(MEMBERSHIPS, headers=invitee.headers)).json()
    assert [item["id"] for item in mine["items"]] == [invitation["id"]]

    accepted = await client.post(f"{MEMBERSHIPS}/{invitation['id']}/accept", headers=invitee.headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "active"
    assert accepted.json()["decided_by_id"] == invitee.id
    assert await _sees_private(client, org, invitee)
    members = (await client.get(f"{ORGS}/{org['id']}/members", headers=invitee.headers)).json()
    assert {item["user_id"] for item in members["items"]} == {owner.id, invitee.id}
    me = (await client.get("/api/v1/users/me", headers=invitee.headers)).json()
    assert [(m["organization_id"], m["role"]) for m in me["memberships"]] == [(org["id"], "member")]


async def test_only_the_invitee_may_accept(client: AsyncClient) -> None:
    owner, org = await _org(client)
    invitee = await factories.account(client)
    invitation = await _invite(client, owner, org, invitee)
    for other in (owner, await factories.account(client)):
        response = await client.post(f"{MEMBERSHIPS}/{invitation['id']}/accept", headers=other.headers)
        assert_problem(response, response.status_code)
        assert response.status_code in (403, 404)
    still = (await client.get(f"{MEMBERSHIPS}/{invitation['id']}", headers=invitee.headers)).json()
    assert still["status"] == "invited"


async def test_decline_an_invitation(client: AsyncClient) -> None:
    owner, org = await _org(client)
    invitee = await factories.account(client)
    invitation = await _invite(client, owner, org, invitee)
    declined = await client.post(f"{MEMBERSHIPS}/{invitation['id']}/decline", headers=invitee.headers)
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "declined"
    assert not await _sees_private(client, org, invitee)
    again = await client.post(f"{MEMBERSHIPS}/{invitation['id']}/accept", headers=invitee.headers)
    assert_problem(again, 409, "invalid_transition")


async def test_request_then_approve(client: AsyncClient) -> None:
    owner, org = await _org(client)
    applicant = await factories.account(client)
    request = await _request(client, org, applicant)
    assert request["status"] == "requested"
    assert request["role"] == "member"
    pending = (
        await client.get(f"{ORGS}/{org['id']}/members", params={"status": "requested"}, headers=owner.headers)
    ).json()
    assert [item["id"] for item in pending["items"]] == [request["id"]]

    approved = await client.post(f"{MEMBERSHIPS}/{request['id']}/approve", headers=owner.headers)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "active"
    assert approved.json()["decided_by_id"] == owner.id
    assert await _sees_private(client, org, applicant)


async def test_request_then_reject(client: AsyncClient) -> None:
    owner, org = await _org(client)
    applicant = await factories.account(client)
    request = await _request(client, org, applicant)
    rejected = await client.post(f"{MEMBERSHIPS}/{request['id']}/reject", headers=owner.headers)
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "declined"
    assert not await _sees_private(client, org, applicant)
    # A rejected applicant may ask again.
    again = await _request(client, org, applicant)
    assert again["id"] == request["id"]
    assert again["status"] == "requested"


async def test_applicant_cannot_approve_own_request(client: AsyncClient) -> None:
    _owner, org = await _org(client)
    applicant = await factories.account(client)
    request = await _request(client, org, applicant)
    response = await client.post(f"{MEMBERSHIPS}/{request['id']}/approve", headers=applicant.headers)
    assert_problem(response, 403, "not_organization_admin")
    response = await client.post(f"{MEMBERSHIPS}/{request['id']}/accept", headers=applicant.headers)
    assert_problem(response, 409, "invalid_transition")  # a request is not an invitation
    assert not await _sees_private(client, org, applicant)


async def test_illegal_transitions_are_409(client: AsyncClient) -> None:
    owner, org = await _org(client)
    invitee = await factories.account(client)
    invitation = await _invite(client, owner, org, invitee)
    # An admin cannot approve an invitation: only the invitee answers it.
    assert_problem(
        await client.post(f"{MEMBERSHIPS}/{invitation['id']}/approve", headers=owner.headers),
        409,
        "invalid_transition",
    )
    accepted = await client.post(f"{MEMBERSHIPS}/{invitation['id']}/accept", headers=invitee.headers)
    assert accepted.status_code == 200
    for action in ("accept", "decline"):
        response = await client.post(f"{MEMBERSHIPS}/{invitation['id']}/{action}", headers=invitee.headers)
        assert_problem(response, 409, "invalid_transition")
    for action in ("approve", "reject"):
        response = await client.post(f"{MEMBERSHIPS}/{invitation['id']}/{action}", headers=owner.headers)
        assert_problem(response, 409, "invalid_transition")
    final = (await client.get(f"{MEMBERSHIPS}/{invitation['id']}", headers=invitee.headers)).json()
    assert final["status"] == "active"


async def test_duplicate_invitation_or_request_is_409(client: AsyncClient) -> None:
    owner, org = await _org(client)
    person = await factories.account(client)
    await _invite(client, owner, org, person)
    again = await client.post(
        f"{ORGS}/{org['id']}/invitations", json={"email": person.email}, headers=owner.headers
    )
    assert_problem(again, 409, "membership_exists")
    request = await client.post(f"{ORGS}/{org['id']}/membership-requests", headers=person.headers)
    assert_problem(request, 409, "membership_exists")
    owner_request = await client.post(f"{ORGS}/{org['id']}/membership-requests", headers=owner.headers)
    assert_problem(owner_request, 409, "membership_exists")


async def test_inviting_an_unknown_email_is_404(client: AsyncClient) -> None:
    owner, org = await _org(client)
    response = await client.post(
        f"{ORGS}/{org['id']}/invitations", json={"email": "nobody@example.com"}, headers=owner.headers
    )
    assert_problem(response, 404, "user_not_found")


async def test_a_plain_member_cannot_invite(client: AsyncClient) -> None:
    owner, org = await _org(client)
    plain, _ = await factories.member(client, owner, org["id"])
    outsider = await factories.account(client)
    response = await client.post(
        f"{ORGS}/{org['id']}/invitations", json={"email": outsider.email}, headers=plain.headers
    )
    assert_problem(response, 403, "not_organization_admin")
    assert (await client.get(MEMBERSHIPS, headers=outsider.headers)).json()["total"] == 0


async def test_remove_a_member_and_their_next_request_sees_no_private_data(client: AsyncClient) -> None:
    owner, org = await _org(client)
    person, membership = await factories.member(client, owner, org["id"])
    assert await _sees_private(client, org, person)

    removed = await client.delete(f"{MEMBERSHIPS}/{membership['id']}", headers=owner.headers)
    assert removed.status_code == 204, removed.text
    # Same access token as before: the membership is read from the database on every request.
    assert not await _sees_private(client, org, person)
    assert_problem(await client.get(f"{ORGS}/{org['id']}/members", headers=person.headers), 404)
    row = (await client.get(f"{MEMBERSHIPS}/{membership['id']}", headers=person.headers)).json()
    assert row["status"] == "removed"
    active = await client.get(
        f"{ORGS}/{org['id']}/members", params={"status": "active"}, headers=owner.headers
    )
    assert person.id not in {item["user_id"] for item in active.json()["items"]}


async def test_a_removed_member_can_request_again(client: AsyncClient) -> None:
    owner, org = await _org(client)
    person, membership = await factories.member(client, owner, org["id"])
    assert (
        await client.delete(f"{MEMBERSHIPS}/{membership['id']}", headers=owner.headers)
    ).status_code == 204
    again = await _request(client, org, person)
    assert again["status"] == "requested"
    assert again["role"] == "member"
    assert not await _sees_private(client, org, person)
    approved = await client.post(f"{MEMBERSHIPS}/{again['id']}/approve", headers=owner.headers)
    assert approved.json()["status"] == "active"
    assert await _sees_private(client, org, person)


async def test_a_member_may_leave(client: AsyncClient) -> None:
    owner, org = await _org(client)
    person, membership = await factories.member(client, owner, org["id"])
    left = await client.delete(f"{MEMBERSHIPS}/{membership['id']}", headers=person.headers)
    assert left.status_code == 204, left.text
    assert not await _sees_private(client, org, person)


async def test_a_plain_member_cannot_remove_another(client: AsyncClient) -> None:
    owner, org = await _org(client)
    first, _ = await factories.member(client, owner, org["id"])
    _, second = await factories.member(client, owner, org["id"])
    response = await client.delete(f"{MEMBERSHIPS}/{second['id']}", headers=first.headers)
    assert_problem(response, response.status_code)
    assert response.status_code in (403, 404)
    row = (await client.get(f"{MEMBERSHIPS}/{second['id']}", headers=owner.headers)).json()
    assert row["status"] == "active"


async def test_the_owner_cannot_be_removed(client: AsyncClient) -> None:
    owner, org = await _org(client)
    org_admin, _ = await factories.member(client, owner, org["id"], role="admin")
    members = (await client.get(f"{ORGS}/{org['id']}/members", headers=owner.headers)).json()
    owner_row = next(item for item in members["items"] if item["role"] == "owner")
    for actor in (org_admin, owner):
        response = await client.delete(f"{MEMBERSHIPS}/{owner_row['id']}", headers=actor.headers)
        assert_problem(response, 403, "owner_not_removable")
    assert (await client.get(f"{MEMBERSHIPS}/{owner_row['id']}", headers=owner.headers)).json()[
        "status"
    ] == "active"
    assert await _sees_private(client, org, owner)


async def test_role_change_needs_if_match_and_takes_effect(client: AsyncClient) -> None:
    owner, org = await _org(client)
    person, membership = await factories.member(client, owner, org["id"])
    path = f"{MEMBERSHIPS}/{membership['id']}"
    outsider = await factories.account(client)

    assert_problem(await client.patch(path, json={"role": "admin"}, headers=owner.headers), 428)
    current = await client.get(path, headers=owner.headers)
    etag = current.headers["etag"]
    assert_problem(
        await client.patch(
            path, json={"role": "admin"}, headers={**owner.headers, "If-Match": '"membership-0-v0"'}
        ),
        412,
    )
    # Before the change, the member cannot invite.
    assert_problem(
        await client.post(
            f"{ORGS}/{org['id']}/invitations", json={"email": outsider.email}, headers=person.headers
        ),
        403,
    )

    changed = await client.patch(path, json={"role": "admin"}, headers={**owner.headers, "If-Match": etag})
    assert changed.status_code == 200, changed.text
    assert changed.json()["role"] == "admin"
    assert changed.headers["etag"] != etag
    stale = await client.patch(path, json={"role": "member"}, headers={**owner.headers, "If-Match": etag})
    assert_problem(stale, 412)

    invited = await client.post(
        f"{ORGS}/{org['id']}/invitations", json={"email": outsider.email}, headers=person.headers
    )
    assert invited.status_code == 201, invited.text


async def test_a_member_cannot_promote_themselves(client: AsyncClient) -> None:
    owner, org = await _org(client)
    person, membership = await factories.member(client, owner, org["id"])
    path = f"{MEMBERSHIPS}/{membership['id']}"
    etag = (await client.get(path, headers=person.headers)).headers["etag"]
    response = await client.patch(path, json={"role": "admin"}, headers={**person.headers, "If-Match": etag})
    assert_problem(response, 403, "not_organization_admin")
    assert (await client.get(path, headers=person.headers)).json()["role"] == "member"


async def test_the_owner_role_cannot_be_changed(client: AsyncClient) -> None:
    owner, org = await _org(client)
    members = (await client.get(f"{ORGS}/{org['id']}/members", headers=owner.headers)).json()
    owner_row = members["items"][0]
    path = f"{MEMBERSHIPS}/{owner_row['id']}"
    etag = (await client.get(path, headers=owner.headers)).headers["etag"]
    response = await client.patch(path, json={"role": "member"}, headers={**owner.headers, "If-Match": etag})
    assert_problem(response, 403, "owner_role_fixed")
    assert (await client.get(path, headers=owner.headers)).json()["role"] == "owner"


async def test_plain_members_see_only_active_members(client: AsyncClient) -> None:
    owner, org = await _org(client)
    plain, _ = await factories.member(client, owner, org["id"])
    applicant = await factories.account(client)
    await _request(client, org, applicant)
    seen_by_member = (await client.get(f"{ORGS}/{org['id']}/members", headers=plain.headers)).json()
    assert applicant.id not in {item["user_id"] for item in seen_by_member["items"]}
    assert {item["status"] for item in seen_by_member["items"]} == {"active"}
    seen_by_owner = (await client.get(f"{ORGS}/{org['id']}/members", headers=owner.headers)).json()
    assert applicant.id in {item["user_id"] for item in seen_by_owner["items"]}
