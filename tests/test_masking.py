"""Property tests of the personal-data masks (data_access/masking.py)."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from data_access import masking

# Characters of real values; no '*' so that "the mask changed something" is observable.
_CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_TEXT_CHAR = st.one_of(_CHINESE, st.characters(exclude_characters="*", exclude_categories=("Cs",)))
names = st.text(_TEXT_CHAR, min_size=1, max_size=12)
digits = st.text("0123456789", min_size=1, max_size=24)
id_numbers = st.text("0123456789", min_size=17, max_size=17).flatmap(
    lambda body: st.sampled_from("0123456789X").map(lambda check: body + check)
)
mobiles = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
cards = st.text("0123456789", min_size=16, max_size=19)

MISSING = [None, "", math.nan]


def _stars(text: str) -> bool:
    return set(text) <= {"*"}


@pytest.mark.parametrize(
    "mask",
    [masking.mask_name, masking.mask_id_number, masking.mask_mobile, masking.mask_card],
)
@pytest.mark.parametrize("value", MISSING, ids=["none", "empty", "nan"])
def test_missing_values_pass_through(mask, value) -> None:
    out = mask(value)
    if isinstance(value, float):
        assert isinstance(out, float) and math.isnan(out)
    else:
        assert out == value


def test_known_examples() -> None:
    assert masking.mask_name("张三丰") == "张**"
    assert masking.mask_name("李") == "李*"
    assert masking.mask_id_number("620102199001011234") == "620***********1234"
    assert masking.mask_id_number("62010219900101123X") == "620***********123X"
    assert masking.mask_mobile("13812345678") == "138****5678"
    assert masking.mask_card("6228480012345678901") == "622848*********8901"


@given(names)
def test_name_keeps_only_the_first_character(name: str) -> None:
    out = masking.mask_name(name)
    assert out[0] == name[0]
    assert _stars(out[1:])
    assert len(out) == max(len(name), 2)  # a one-character name still gets a star
    assert out != name


@given(id_numbers)
def test_id_number_keeps_first_three_last_four_and_length(value: str) -> None:
    out = masking.mask_id_number(value)
    assert len(out) == len(value) == 18
    assert out[:3] == value[:3] and out[-4:] == value[-4:]
    assert out[3:-4] == "*" * 11
    assert out != value


@given(digits)
def test_id_like_values_of_any_length_never_reveal_more_than_seven(value: str) -> None:
    out = masking.mask_id_number(value)
    assert len(out) == len(value)
    assert sum(ch != "*" for ch in out) <= 7
    if len(value) <= 7:
        assert _stars(out)  # too short to show both ends without showing everything
    else:
        assert out[:3] == value[:3] and out[-4:] == value[-4:]
        assert out != value


@given(mobiles)
def test_mobile_has_the_138_star_form(value: str) -> None:
    out = masking.mask_mobile(value)
    assert re.fullmatch(r"1\d{2}\*{4}\d{4}", out)
    assert out[:3] == value[:3] and out[-4:] == value[-4:]
    assert out != value


@given(digits.filter(lambda v: len(v) != 11))
def test_mobile_of_another_length_is_masked_like_an_id(value: str) -> None:
    assert masking.mask_mobile(value) == masking.mask_id_number(value)


@given(cards)
def test_card_keeps_first_six_and_last_four(value: str) -> None:
    out = masking.mask_card(value)
    assert len(out) == len(value)
    assert out[:6] == value[:6] and out[-4:] == value[-4:]
    assert _stars(out[6:-4]) and len(out[6:-4]) == len(value) - 10
    assert out != value


@given(st.text("0123456789", max_size=10).filter(bool))
def test_short_card_is_all_stars(value: str) -> None:
    assert masking.mask_card(value) == "*" * len(value)


@given(st.one_of(names, digits))
def test_masks_are_idempotent(value: str) -> None:
    for mask in masking.PII_MASKS.values():
        once = mask(value)
        assert mask(once) == once


# ------------------------------------------------------------------ mask_frame


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), names),
            st.one_of(st.none(), id_numbers),
            st.one_of(st.none(), mobiles),
            st.one_of(st.none(), cards),
            st.integers(min_value=1, max_value=10**12),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_mask_frame_masks_every_pii_column_and_nothing_else(rows) -> None:
    frame = pd.DataFrame(
        rows, columns=["full_name", "id_number", "mobile", "card_number", "customer_id"]
    )
    frame["aum_rmb"] = np.arange(len(frame), dtype=float) * 1000.5
    original = frame.copy()
    out = masking.mask_frame(frame)

    pd.testing.assert_frame_equal(frame, original)  # the input is not modified
    pd.testing.assert_series_equal(out["customer_id"], original["customer_id"])
    pd.testing.assert_series_equal(out["aum_rmb"], original["aum_rmb"])
    for column, mask in masking.PII_MASKS.items():
        for before, after in zip(original[column], out[column], strict=True):
            if pd.isna(before):
                assert pd.isna(after)
            else:
                assert after == mask(before)
                assert after != before


def test_mask_frame_without_pii_is_unchanged() -> None:
    frame = pd.DataFrame({"branch_id": [1, 2], "aum_rmb": [1.0, 2.0]})
    pd.testing.assert_frame_equal(masking.mask_frame(frame), frame)


def test_mask_frame_handles_nullable_string_dtype() -> None:
    frame = pd.DataFrame(
        {"mobile": pd.array(["13912345678", pd.NA], dtype="string"), "customer_id": [1, 2]}
    )
    out = masking.mask_frame(frame)
    assert out["mobile"].iloc[0] == "139****5678"
    assert pd.isna(out["mobile"].iloc[1])


def test_mask_frame_on_empty_frame() -> None:
    frame = pd.DataFrame({"full_name": pd.Series([], dtype=object), "customer_id": []})
    out = masking.mask_frame(frame)
    assert out.empty and list(out.columns) == ["full_name", "customer_id"]


# ------------------------------------------------------------------ free text


def test_free_text_known_answers() -> None:
    cases = {
        "客户13812345678要求回电": "客户138****5678要求回电",
        "身份证62010219900101123X，核实无误": "身份证620***********123X，核实无误",
        "身份证号620102199001011234": "身份证号620***********1234",
        "扣款卡6228480012345678901已冻结": "扣款卡622848*********8901已冻结",
        "卡号 6228 4800 1234 5678 已挂失": "卡号 622848******5678 已挂失",
        "电话 +86 138 1234 5678 或 139-8765-4321": "电话 +86 138****5678 或 139****4321",
        "8613812345678": "86138****5678",
        "tel:15912345678.": "tel:159****5678.",
    }
    for text, masked in cases.items():
        assert masking.mask_free_text(text) == masked, text


@pytest.mark.parametrize(
    "text",
    [
        "到期续存，已接受三年定期",
        "存入 1,380,000.00 元，利率 2.15%",
        "2026-09-01 10:30 回访，下次 2026-10-15",
        "流水号 202609011030123",  # 15 digits: too short for a card, no mobile inside a run
        "订单12345678901234567890123",  # longer than any card: a mobile inside is not one
        "2013812345678",  # 13 digits: the mobile is part of a longer run
        "138123456789",  # 12 digits: not a mobile
        "客户号 100234，网点 1203",
    ],
)
def test_free_text_without_personal_data_is_unchanged(text: str) -> None:
    assert masking.mask_free_text(text) == text


@pytest.mark.parametrize("value", MISSING, ids=["none", "empty", "nan"])
def test_free_text_missing_values_pass_through(value) -> None:
    out = masking.mask_free_text(value)
    if isinstance(value, float):
        assert isinstance(out, float) and math.isnan(out)
    else:
        assert out == value


# Text around the number: anything but digits (and no letter right after an ID's X).
_AROUND = st.text(
    st.one_of(_CHINESE, st.characters(exclude_categories=("Nd", "Cs", "L"))), max_size=8
)


@given(_AROUND, st.one_of(mobiles, id_numbers, cards), _AROUND)
def test_free_text_never_shows_a_full_number(before: str, number: str, after: str) -> None:
    out = masking.mask_free_text(before + number + after)
    assert number not in out
    assert out.startswith(before) and out.endswith(after)
    assert masking.mask_free_text(out) == out  # idempotent


@given(st.text(st.one_of(_CHINESE, st.sampled_from("0123456789 ,.-元年月日")), max_size=60))
def test_free_text_with_only_short_digit_runs_is_unchanged(text: str) -> None:
    if not re.search(r"\d{11}|\d[ -]\d{4}[ -]\d{4}|\d{4} \d{4} \d{4} \d{4}", text):
        assert masking.mask_free_text(text) == text
