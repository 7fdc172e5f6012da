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
