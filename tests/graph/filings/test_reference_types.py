"""The reference types over HTTP: the ten specialties, a person's qualifications (matched by ID number, theirs only),
enterprises as public nodes."""

from __future__ import annotations

import base64
import datetime as dt

from db.models import Enterprise, Qualification, StaffRole
from domain.accounts import id_number_digest, mask_id_number
from tests.graph.accounts.helpers import create_staff, staff_login
from tests.helpers import VALID_ID, VALID_ID_2, Api

SPECIALTIES = "query { specialties { code name shortName needsSpecialtyReview } }"
QUALIFICATIONS = """query { viewer { qualifications { id realName certificateNumber issuedOn temporary
  specialty { code name shortName needsSpecialtyReview } } } }"""
NODE = """query($id: ID!) { node(id: $id) { id __typename ... on Qualification { certificateNumber }
  ... on Enterprise { name creditCode provinceCode provinceName qualificationStatus } } }"""


async def qualification(id_number: str, code: str, number: str, temporary: bool = False) -> Qualification:
    return await Qualification.create(
        id_number_digest=id_number_digest(id_number),
        id_number_masked=mask_id_number(id_number),
        real_name="张三",
        specialty_code=code,
        certificate_number=number,
        issued_on=dt.date(2021, 5, 20),
        temporary=temporary,
        imported_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )


async def test_the_ten_specialties_are_public(api: Api) -> None:
    body = await api.gql(SPECIALTIES)
    specialties = body["data"]["specialties"]
    assert len(specialties) == 10
    assert specialties[0] == {"code": "01", "name": "建筑工程", "shortName": "建筑", "needsSpecialtyReview": False}
    assert {"code": "02", "name": "公路工程", "shortName": "公路", "needsSpecialtyReview": True} in specialties


async def test_viewer_sees_only_the_qualifications_of_their_id_number(api: Api) -> None:
    await qualification(VALID_ID, "07", "Z00002")
    await qualification(VALID_ID, "01", "Z00001", temporary=True)
    await qualification(VALID_ID_2, "01", "Z00009")
    await api.signed_up()
    mine = (await api.gql(QUALIFICATIONS))["data"]["viewer"]["qualifications"]
    assert [(q["specialty"]["code"], q["certificateNumber"]) for q in mine] == [("01", "Z00001"), ("07", "Z00002")]
    assert mine[0]["temporary"] is True and mine[0]["issuedOn"] == "2021-05-20"
    assert mine[1]["specialty"]["name"] == "市政公用工程"

    own = (await api.gql(NODE, {"id": mine[0]["id"]}))["data"]["node"]
    assert own == {"id": mine[0]["id"], "__typename": "Qualification", "certificateNumber": "Z00001"}
    other = Api(api.client, api.app)
    await other.signed_up(id_number=VALID_ID_2, mobile="13800138002")
    assert (await other.gql(NODE, {"id": mine[0]["id"]}))["data"]["node"] is None
    assert len((await other.gql(QUALIFICATIONS))["data"]["viewer"]["qualifications"]) == 1
    assert (await api.gql(NODE, {"id": mine[0]["id"]}, token="no-such-token"))["data"]["node"] is None
    await create_staff("admin01", StaffRole.ADMIN)
    admin = (await staff_login(api, "admin01"))["token"]
    assert (await api.gql(NODE, {"id": mine[0]["id"]}, token=admin))["data"]["node"] is None


async def test_an_enterprise_is_a_public_node(api: Api) -> None:
    row = await Enterprise.create(
        name="中建示范建设集团有限公司", credit_code="91110000MA00000010", province_code="11", name_initials="zjsf"
    )
    global_id = base64.b64encode(f"Enterprise:{row.id}".encode()).decode()
    node = (await api.gql(NODE, {"id": global_id}))["data"]["node"]
    assert node == {
        "id": global_id,
        "__typename": "Enterprise",
        "name": "中建示范建设集团有限公司",
        "creditCode": "91110000MA00000010",
        "provinceCode": "11",
        "provinceName": "北京市",
        "qualificationStatus": "QUALIFIED",
    }
