"""国籍 from pycountry (ISO 3166-1 with its zh_CN names, the mainland convention for Taiwan, Hong Kong, Macao),
the degree/education rule, and the option lists the API serves."""

from __future__ import annotations

import itertools

import pycountry
import pytest

from domain.accounts import ETHNIC_GROUPS, Degree, Education, profile_options
from domain.accounts.nationalities import nationalities, nationality_label, normalize_nationality
from domain.accounts.profile import degree_error
from domain.accounts.profile_options import degree_fits
from domain.kernel.errors import DomainError, ErrorCode


def test_every_iso_3166_1_country_and_region_is_listed_once_with_a_chinese_name() -> None:
    listed = nationalities()
    codes = [code for code, _ in listed]
    assert len(codes) == len(set(codes)) == len(pycountry.countries) == 249
    assert set(codes) == {country.alpha_2 for country in pycountry.countries}
    for code, label in listed:
        assert label and all("\u4e00" <= ch <= "\u9fff" or ch in "()（）、·- " for ch in label), (code, label)


def test_china_comes_first_then_its_regions_named_by_the_chinese_convention() -> None:
    assert nationalities()[:4] == (("CN", "中国"), ("HK", "中国香港"), ("MO", "中国澳门"), ("TW", "中国台湾"))
    rest = [code for code, _ in nationalities()[4:]]
    assert rest == sorted(rest)
    assert "中国台湾省" not in {label for _, label in nationalities()}


def test_labels_come_from_the_translation_catalogue_with_a_few_short_names() -> None:
    assert nationality_label("US") == "美国"
    assert nationality_label("DE") == "德国"
    assert nationality_label("KR") == "韩国"
    assert nationality_label("KH") == "柬埔寨"  # the catalogue misspells it 柬埔塞
    assert nationality_label("QQ") == "QQ"  # a code a later ISO update dropped still shows


@pytest.mark.parametrize(("raw", "code"), [("CN", "CN"), (" us ", "US"), ("ｍｏ", "MO"), ("tw", "TW")])
def test_nationality_codes_are_normalised(raw: str, code: str) -> None:
    assert normalize_nationality(raw) == code


@pytest.mark.parametrize("raw", ["", "C", "CHN", "中国", "XK", "ZZ", "C N", "1N"])
def test_anything_else_is_refused_on_the_field(raw: str) -> None:
    with pytest.raises(DomainError) as caught:
        normalize_nationality(raw)
    assert (caught.value.code, caught.value.field) == (ErrorCode.INVALID_INPUT, "nationality")


ALLOWED = {
    Degree.DOCTOR: {Education.DOCTORATE, Education.MASTER},
    Degree.MASTER: {Education.DOCTORATE, Education.MASTER, Education.BACHELOR},
    Degree.BACHELOR: {Education.DOCTORATE, Education.MASTER, Education.BACHELOR},
    Degree.NONE: set(Education),
}


@pytest.mark.parametrize(("education", "degree"), list(itertools.product(Education, Degree)))
def test_the_degree_fits_the_education(education: Education, degree: Degree) -> None:
    assert degree_fits(education, degree) == (education in ALLOWED[degree])
    error = degree_error(education, degree)
    if education in ALLOWED[degree]:
        assert error is None
    else:
        assert error is not None
        assert (error.code, error.field) == (ErrorCode.DEGREE_MISMATCH, "degree")
        assert education.value in error.message and degree.value in error.message


def test_no_degree_below_a_bachelors_education() -> None:
    for education in (Education.COLLEGE, Education.TECHNICAL_SECONDARY, Education.OTHER):
        assert [d for d in Degree if degree_fits(education, d)] == [Degree.NONE]


def test_an_unknown_half_is_not_judged() -> None:
    assert degree_fits(None, Degree.DOCTOR) and degree_fits(Education.OTHER, None)
    assert degree_error(None, Degree.DOCTOR) is None


def test_the_option_lists_round_trip_with_the_api() -> None:
    options = profile_options()
    assert (options.nationalities[0].code, options.nationalities[0].label) == ("CN", "中国")
    assert [(o.code, o.label) for o in options.ethnicities] == [(name, name) for name in ETHNIC_GROUPS]
    assert [(o.code, o.label) for o in options.educations] == [(e.name, e.value) for e in Education]
    assert [(o.code, o.label) for o in options.degrees] == [(d.name, d.value) for d in Degree]
