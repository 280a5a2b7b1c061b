"""Personal identifiers: resident ID numbers (GB 11643), names, mobiles, e-mail, masking."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from domain.accounts.identifiers import (
    mask_id_number,
    mask_mobile,
    normalize_email,
    normalize_mobile,
    normalize_name,
    parse_id_number,
)
from domain.kernel import clock
from domain.kernel.errors import DomainError, ErrorCode

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def make_id_number(birth: str, area: str = "110105", sequence: str = "123") -> str:
    """A resident ID number with a correct check character (so only the part under test is wrong)."""
    body = area + birth + sequence
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


@pytest.fixture(autouse=True)
def real_clock() -> Iterator[None]:
    clock.reset()
    yield
    clock.reset()


def assert_refused(code: ErrorCode, call: object, *args: object) -> DomainError:
    with pytest.raises(DomainError) as caught:
        call(*args)  # type: ignore[operator]
    assert caught.value.code is code
    assert caught.value.message  # a Chinese message the user can act on
    return caught.value


# --- ID numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number", "birth", "gender"),
    [
        ("360426199101010071", "360426199101010071", date(1991, 1, 1), "M"),
        ("120103198806018241", "120103198806018241", date(1988, 6, 1), "F"),
        ("11010519491231002X", "11010519491231002X", date(1949, 12, 31), "F"),
        ("11010519491231002x", "11010519491231002X", date(1949, 12, 31), "F"),
        ("  360426199101010071 ", "360426199101010071", date(1991, 1, 1), "M"),
        ("３６０４２６１９９１０１０１００７１", "360426199101010071", date(1991, 1, 1), "M"),  # full-width digits
    ],
)
def test_valid_id_numbers(raw: str, number: str, birth: date, gender: str) -> None:
    resident = parse_id_number(raw)
    assert resident.number == number
    assert resident.birth_date == birth
    assert resident.gender == gender
    assert resident.masked == number[:4] + "**********" + number[-4:]


def test_sequence_digit_parity_gives_gender() -> None:
    assert parse_id_number(make_id_number("19800101", sequence="121")).gender == "M"
    assert parse_id_number(make_id_number("19800101", sequence="122")).gender == "F"


def test_helper_builds_the_known_valid_numbers() -> None:
    assert make_id_number("19910101", "360426", "007") == "360426199101010071"
    assert make_id_number("19491231", "110105", "002") == "11010519491231002X"


@pytest.mark.parametrize(
    "raw",
    [
        "230307196304054513",  # checksum (the spec's invalid example)
        "360426199101010072",  # last character changed
        "11010519491231002Y",  # not a check character
        "36042619910101007",  # 17 characters
        "3604261991010100711",  # 19 characters
        "36042619910101007X1",
        "",
        "360426-199101010071",
        "36042619910101007a",
        "36042619A101010071",
    ],
)
def test_malformed_id_numbers(raw: str) -> None:
    error = assert_refused(ErrorCode.INVALID_ID_NUMBER, parse_id_number, raw)
    assert error.field == "id_number"


@pytest.mark.parametrize("birth", ["19910230", "19910231", "19911301", "19910001", "19900229", "19910100"])
def test_impossible_birth_dates_are_refused(birth: str) -> None:
    assert_refused(ErrorCode.INVALID_ID_NUMBER, parse_id_number, make_id_number(birth))


def test_leap_day_is_a_real_birth_date() -> None:
    assert parse_id_number(make_id_number("19920229")).birth_date == date(1992, 2, 29)


def test_birth_before_1900_is_refused() -> None:
    assert_refused(ErrorCode.INVALID_ID_NUMBER, parse_id_number, make_id_number("18991231"))


def test_future_birth_date_is_refused_until_it_has_passed() -> None:
    birth = clock.now().date() + timedelta(days=2)
    number = make_id_number(birth.strftime("%Y%m%d"))
    assert_refused(ErrorCode.INVALID_ID_NUMBER, parse_id_number, number)
    clock.advance(3 * 24 * 3600)
    assert parse_id_number(number).birth_date == birth


def test_unknown_area_code_is_refused_without_crashing() -> None:
    for area in ("990101", "000000", "119999"):  # no such province; a known province with no such county
        assert_refused(ErrorCode.INVALID_ID_NUMBER, parse_id_number, make_id_number("19800101", area))


@pytest.mark.parametrize(
    ("area", "birth"),
    [
        ("310115", "19700101"),  # 浦东新区, created 1992: people born before it carry its code
        ("440305", "19600101"),  # 南山区, code assigned from 1983
        ("360426", "19620505"),  # 德安县 with its code from 1983
    ],
)
def test_area_code_newer_than_the_birth_is_accepted(area: str, birth: str) -> None:
    """ID numbers are issued with the code valid at issue time, so an area code may postdate the birth."""
    number = make_id_number(birth, area)
    assert parse_id_number(number).number == number


def test_custom_field_name_is_reported() -> None:
    error = assert_refused(ErrorCode.INVALID_ID_NUMBER, parse_id_number, "123", "new_id_number")
    assert error.field == "new_id_number"


# --- names ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", "张三"),
        (" 欧阳娜娜 ", "欧阳娜娜"),
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("阿依古丽•买买提", "阿依古丽·买买提"),  # bullet normalised
        ("阿依古丽．买买提", "阿依古丽·买买提"),  # full-width full stop normalised
        ("阿依古丽・买买提", "阿依古丽·买买提"),  # katakana middle dot normalised
        ("爱新觉罗·溥仪·测试", "爱新觉罗·溥仪·测试"),
        ("王" * 30, "王" * 30),
        ("㐀㐁", "㐀㐁"),  # CJK extension A
        ("𠮷田", "𠮷田"),  # CJK extension B (rare characters in real names)
    ],
)
def test_valid_names(raw: str, expected: str) -> None:
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "张",  # one character
        "王" * 31,  # 31 characters
        "Zhang San",
        "张San",
        "张三3",
        "张3",
        "1234",
        "",
        "   ",
        "张 三",
        "·张三",
        "张三·",
        "张··三",
        "张三!",
        "<script>",
        "张\n三",
        "ㄓㄤ",  # bopomofo is not a name
    ],
)
def test_invalid_names(raw: str) -> None:
    error = assert_refused(ErrorCode.INVALID_NAME, normalize_name, raw)
    assert error.field == "real_name"


def test_name_length_counts_the_middle_dot() -> None:
    assert normalize_name("阿" * 14 + "·" + "买" * 15) == "阿" * 14 + "·" + "买" * 15
    assert_refused(ErrorCode.INVALID_NAME, normalize_name, "阿" * 15 + "·" + "买" * 15)


# --- mobiles --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "13800138000"),
        ("19912345678", "19912345678"),
        (" 138 0013 8000 ", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),  # full-width digits from a Chinese IME, stored as ASCII
    ],
)
def test_valid_mobiles(raw: str, expected: str) -> None:
    assert normalize_mobile(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "12800138000",  # second digit 2
        "10800138000",
        "23800138000",
        "1380013800",  # 10 digits
        "138001380001",  # 12 digits
        "1380013800a",
        "",
        "+8512800138000",
        "١٣٨٠٠١٣٨٠٠٠",  # Arabic-Indic digits
        "138\u0660\u0660138000",
    ],
)
def test_invalid_mobiles(raw: str) -> None:
    error = assert_refused(ErrorCode.INVALID_MOBILE, normalize_mobile, raw)
    assert error.field == "mobile"
    assert_refused(ErrorCode.INVALID_MOBILE, normalize_mobile, raw, "newMobile")


# --- e-mail ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("zhang.san@example.com", "zhang.san@example.com"),
        ("  Zhang.San+portal@Example.COM.cn ", "Zhang.San+portal@example.com.cn"),
        ("a_b-c%d@mail.sub-domain.org", "a_b-c%d@mail.sub-domain.org"),
        ("12345@qq.com", "12345@qq.com"),
    ],
)
def test_valid_emails(raw: str, expected: str) -> None:
    assert normalize_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "zhangsan",
        "zhangsan@",
        "@example.com",
        "zhang san@example.com",
        "zhang@example",
        "zhang@example.c",
        "zhang@@example.com",
        "zhang@exa mple.com",
        "张三@example.com",
        "a" * 65 + "@example.com",
        "a@" + "b" * 250 + ".com",
        "zhang@example.com\nBcc: x@evil.com",
        "",
    ],
)
def test_invalid_emails(raw: str) -> None:
    error = assert_refused(ErrorCode.INVALID_EMAIL, normalize_email, raw)
    assert error.field == "email"


# --- masking --------------------------------------------------------------------------------------


def test_masking_hides_birth_date_and_sequence() -> None:
    assert mask_id_number("360426199101010071") == "3604**********0071"
    assert mask_id_number("11010519491231002X") == "1101**********002X"
    masked = mask_id_number("120103198806018241")
    assert "19880601" not in masked
    assert len(masked) == 18


def test_mobile_masking() -> None:
    assert mask_mobile("13800138001") == "138****8001"
    assert "0013" not in mask_mobile("13800138001")
