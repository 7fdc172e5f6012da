"""The organisation: prefectures, county cooperatives, branches, staff and partner employers.

Sizes scale with the number of customers: ``customers_per_branch`` customers per branch on
average (8,400 by default, the real outlet size: about 16 million personal customers over about
1,904 outlets), township branches smaller and county-town branches larger; the number of
prefectures and cooperatives follows the number of branches (four prefectures at 22 branches, all
fourteen at 1,100), cooperatives drawn from each prefecture's real county-level entities (at least
two branches each, about five on average). Branch types follow DEMO-DATA-FACTS (township 62%,
county town 26%, community 12%), with community branches in the urban entities. Staff follow the
Hongyan plan: some wealth and account managers are former tellers. docs/demo-data.md
("Organisation and branch size") gives every parameter with its source.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from catalogue import codes
from data_access.demo import names, places
from data_access.demo.months import month_days, month_index
from data_access.demo.rng import exact_counts, stream

BRANCH_TYPE_CODES = codes.BRANCH_TYPE.codes
COUNTY_TOWN, TOWNSHIP, COMMUNITY = (
    BRANCH_TYPE_CODES.index(c) for c in ("county_town", "township", "community")
)
BRANCH_TYPE_SHARES = {TOWNSHIP: 0.62, COUNTY_TOWN: 0.26, COMMUNITY: 0.12}
# Personal customers per branch (outlet, 网点) on average. Facts: about 16 million personal
# customers (an estimate) over about 1,904 outlets is 8,400. Tests use smaller branches.
CUSTOMERS_PER_BRANCH = 8_400
# Relative number of customers a branch of each type serves (estimate: a county-town outlet
# serves the county seat's traders, civil servants and payroll; a township outlet one township of
# a few thousand households). With the type shares above, at 8,400 on average a township branch
# serves about 6,800 customers, a county-town branch about 11,200 and a community branch 10,400;
# each branch's size also varies by a log-normal factor (sigma BRANCH_SIZE_SIGMA, estimate).
BRANCH_TYPE_SIZE = {COUNTY_TOWN: 1.4, TOWNSHIP: 0.85, COMMUNITY: 1.3}
BRANCH_SIZE_SIGMA = 0.35
# Branches per cooperative on average (the demo's cooperatives are smaller than the real ones,
# about 23 outlets each, so that a slice of the province shows several cooperatives).
BRANCHES_PER_COOPERATIVE = 5
# The number of prefectures: PREFECTURES_AT_FOUR branches give four, PREFECTURES_AT_ALL all 14.
PREFECTURES_AT_FOUR = 22
PREFECTURES_AT_ALL = 1_100
# Staffing (estimate; facts: 21,000+ staff for about 1,904 outlets, about 11 each, head offices
# included): one teller per TELLER_CUSTOMERS customers on top of two to four (three to five at
# county-town branches), account managers (客户经理, mostly farm loans) one per
# ACCOUNT_MANAGER_CUSTOMERS up to three.
TELLER_CUSTOMERS = 2_500
ACCOUNT_MANAGER_CUSTOMERS = 700
MAX_ACCOUNT_MANAGERS = 3

# Partner employers whose staff are paid through the cooperative (代发): name parts, industry.
EMPLOYER_TEMPLATES: tuple[tuple[str, str, str], ...] = (
    ("第一中学", "No. 1 Middle School", "services"),
    ("人民医院", "People's Hospital", "services"),
    ("马铃薯淀粉有限公司", "Potato Starch Co.", "manufacturing"),
    ("果业专业合作社", "Fruit Growers' Cooperative", "agriculture"),
    ("建筑工程有限公司", "Construction Engineering Co.", "construction"),
    ("交通运输有限公司", "Transport Co.", "transport"),
    ("供销合作社", "Supply and Marketing Cooperative", "trade"),
    ("中医医院", "Hospital of Traditional Chinese Medicine", "services"),
    ("农产品物流园", "Farm Produce Logistics Park", "transport"),
    ("牛羊养殖专业合作社", "Cattle and Sheep Breeders' Cooperative", "agriculture"),
    ("中药材种植有限公司", "Medicinal Herbs Co.", "agriculture"),
    ("商贸有限公司", "Trading Co.", "trade"),
    ("宾馆", "Hotel", "catering"),
    ("供电公司", "Power Supply Co.", "services"),
    ("实验小学", "Experimental Primary School", "services"),
    ("农机制造有限公司", "Farm Machinery Co.", "manufacturing"),
)


@dataclass
class Organisation:
    """The organisation's tables plus the per-branch arrays the customer generator needs."""

    prefectures: pd.DataFrame
    cooperatives: pd.DataFrame
    branches: pd.DataFrame
    staff: pd.DataFrame
    employers: pd.DataFrame
    branch_customers: np.ndarray  # customers per branch, in branch order
    branch_type: np.ndarray  # index into catalogue.codes.BRANCH_TYPE
    branch_coop: np.ndarray  # cooperative position of each branch
    branch_effect: np.ndarray  # log-wealth effect of the branch's catchment
    region_code: np.ndarray  # 6-digit ID-number region of each cooperative
    wm_first: np.ndarray  # per branch: position in ``staff`` of its first wealth manager
    wm_count: np.ndarray
    am_first: np.ndarray
    am_count: np.ndarray
    staff_since_month: np.ndarray  # per staff position: role_since as a window month offset
    employer_first: np.ndarray  # per cooperative: first employer position
    employer_count: np.ndarray


def prefecture_count(branches: int) -> int:
    """4 prefectures at 22 branches, all 14 at 1,100 (log-linear in between, at least 2)."""
    scaled = 4 + 10 * math.log(max(branches, 1) / PREFECTURES_AT_FOUR) / math.log(
        PREFECTURES_AT_ALL / PREFECTURES_AT_FOUR
    )
    return int(min(14, max(2, round(scaled))))


def branch_count(customers: int, customers_per_branch: int = CUSTOMERS_PER_BRANCH) -> int:
    """Branches for ``customers`` customers at ``customers_per_branch`` on average (at least 2)."""
    return max(round(customers / customers_per_branch), 2)


def _allocate_at_least(total: int, weights: np.ndarray, minimum: int) -> np.ndarray:
    base = np.full(len(weights), minimum, dtype=np.int64)
    return base + exact_counts(max(total - base.sum(), 0), weights)


def _cooperatives(rng: np.random.Generator, n_branches: int, n_pref: int) -> pd.DataFrame:
    chosen = places.PREFECTURES[:n_pref]
    capacity = np.array([len(p.counties) for p in chosen])
    wanted = int(np.clip(round(n_branches / BRANCHES_PER_COOPERATIVE), n_pref, capacity.sum()))
    populations = np.array([p.population_10k for p in chosen])
    per_pref = np.minimum(_allocate_at_least(wanted, populations, 1), capacity)
    while per_pref.sum() < wanted:  # prefectures out of counties pass the rest on
        room = per_pref < capacity
        per_pref[room] += np.minimum(
            exact_counts(wanted - per_pref.sum(), populations * room), capacity - per_pref
        )[room]
    rows = []
    for p_pos, (prefecture, count) in enumerate(zip(chosen, per_pref, strict=True)):
        # The seat (city bank or main district) first, then other counties at random.
        others = 1 + rng.permutation(len(prefecture.counties) - 1)
        for c_pos in np.r_[0, others][:count]:
            rows.append((p_pos, int(c_pos), prefecture.counties[int(c_pos)]))
    forms = np.array([f for f, n in places.LEGAL_FORMS for _ in range(n)])
    form = forms[rng.integers(0, len(forms), len(rows))]
    records = []
    for i, (p_pos, c_pos, county) in enumerate(rows):
        legal = (
            codes.LEGAL_FORM.code("rural_commercial_bank")
            if county.kind == "city_bank"
            else str(form[i])
        )
        zh, en = places.cooperative_names(county, legal)
        records.append(
            {
                "cooperative_id": i + 1,
                "prefecture_id": p_pos + 1,
                "name_en": en,
                "name_zh": zh,
                "legal_form": legal,
                "_urban": county.kind != "county",
                "_short_zh": county.short_zh,
                "_pinyin": county.pinyin,
                "_region": int(chosen[p_pos].code) * 100 + c_pos + 2,
            }
        )
    return pd.DataFrame.from_records(records)


def _branch_types(
    rng: np.random.Generator, coop_of_branch: np.ndarray, urban: np.ndarray
) -> np.ndarray:
    n = len(coop_of_branch)
    shares = np.array([BRANCH_TYPE_SHARES[t] for t in range(3)])
    counts = exact_counts(n, shares)
    types = np.full(n, TOWNSHIP)
    first = np.r_[True, coop_of_branch[1:] != coop_of_branch[:-1]]
    # Each cooperative's first branch is its county-town head office (营业部).
    head = np.flatnonzero(first)[: counts[COUNTY_TOWN]]
    types[head] = COUNTY_TOWN
    free = np.ones(n, bool)
    free[head] = False
    urban_branch = urban[coop_of_branch].astype(float)
    score = urban_branch * 2.5 + rng.gumbel(size=n)
    score[~free] = -np.inf
    community = np.argsort(-score, kind="stable")[: counts[COMMUNITY]]
    types[community] = COMMUNITY
    free[community] = False
    score = urban_branch * 0.8 + rng.gumbel(size=n)
    score[~free] = -np.inf
    town = np.argsort(-score, kind="stable")[: max(counts[COUNTY_TOWN] - len(head), 0)]
    types[town] = COUNTY_TOWN
    return types


def _branch_names(
    rng: np.random.Generator, types: np.ndarray, coop_of_branch: np.ndarray, coops: pd.DataFrame
) -> tuple[list[str], list[str]]:
    towns = iter(names.town_names(rng, int((types == TOWNSHIP).sum())))
    streets: dict[int, list[tuple[str, str]]] = {}
    communities: dict[int, list[tuple[str, str]]] = {}
    zh_names, en_names = [], []
    seen: set[str] = set()
    previous = -1
    for branch, (kind, coop) in enumerate(zip(types, coop_of_branch, strict=True)):
        short, pinyin = coops["_short_zh"].iat[coop], coops["_pinyin"].iat[coop]
        if kind == TOWNSHIP:
            town, town_py = next(towns)
            township = "乡" if branch % 3 == 0 else "镇"
            zh, en = f"{town}{township}分社", f"{town_py} Township Branch"
        elif kind == COUNTY_TOWN and coop != previous:
            zh, en = f"{short}营业部", f"{pinyin} Head Office"
        elif kind == COUNTY_TOWN:
            pool = streets.setdefault(coop, names.street_names(rng, 18))
            street, street_py = pool.pop(0) if pool else ("城区", "Urban")
            zh, en = f"{short}{street}分社", f"{pinyin} {street_py} Branch"
        else:
            pool = communities.setdefault(coop, names.community_names(rng, 16))
            place, place_py = pool.pop(0) if pool else ("新城", "Xincheng")
            zh, en = f"{short}{place}社区支行", f"{pinyin} {place_py} Community Branch"
        if zh in seen:  # a repeated township or street name: prefix the county
            zh, en = f"{short}{zh}", f"{pinyin} {en}"
        number = 2
        base_zh, base_en = zh, en
        while zh in seen:
            zh, en = f"{base_zh}{number}", f"{base_en} {number}"
            number += 1
        seen.add(zh)
        zh_names.append(zh)
        en_names.append(en)
        previous = coop
    return zh_names, en_names


def _staff(
    rng: np.random.Generator,
    branches: pd.DataFrame,
    types: np.ndarray,
    customers: np.ndarray,
    first_month: dt.date,
    as_of: dt.date,
) -> pd.DataFrame:
    n = len(branches)
    heads = np.ones(n, dtype=np.int64)
    wms = np.where(types == TOWNSHIP, 1, 2) + (rng.random(n) < 0.4)
    ams = np.clip(1 + customers // ACCOUNT_MANAGER_CUSTOMERS, 1, MAX_ACCOUNT_MANAGERS)
    tellers = (
        np.where(types == COUNTY_TOWN, 3, 2) + rng.integers(0, 3, n) + customers // TELLER_CUSTOMERS
    )
    roles = [
        codes.STAFF_ROLE.code(r)
        for r in ("branch_head", "wealth_manager", "account_manager", "teller")
    ]
    counts = np.stack([heads, wms, ams, tellers], axis=1)
    per_branch = counts.sum(axis=1)
    total = int(per_branch.sum())
    branch_pos = np.repeat(np.arange(n), per_branch)
    role_pos = np.concatenate([np.repeat(np.arange(4), row) for row in counts])
    rank_in_role = np.arange(total) - np.repeat(
        np.cumsum(np.r_[0, counts.ravel()[:-1]]), counts.ravel()
    )
    role = np.array(roles)[role_pos]
    is_wm = role == "wealth_manager"
    senior = is_wm & (rank_in_role == 0)
    hongyan = np.where(senior, rng.integers(2, 5, total), rng.integers(1, 4, total))
    # Hired between 1990 and three years before the as-of month; heads earlier.
    as_of_index = month_index(as_of)
    hire_offset = -rng.integers(36, (as_of.year - 1990) * 12, total)
    hire_offset = np.where(role == "branch_head", np.minimum(hire_offset, -120), hire_offset)
    # Hongyan plan: tellers retrained as wealth or account managers, many during the window.
    promoted = ((is_wm & ~senior) & (rng.random(total) < 0.55)) | (
        (role == "account_manager") & (rng.random(total) < 0.3)
    )
    window = month_index(first_month) - as_of_index
    # Heads were account managers first; everyone else has held their role since hiring.
    since_offset = np.select(
        [promoted, role == "branch_head"],
        [-rng.integers(0, 30, total), hire_offset + rng.integers(12, 120, total)],
        hire_offset,
    )
    since_offset = np.minimum(np.maximum(since_offset, hire_offset), 0)
    since_offset = np.where(senior, np.minimum(since_offset, window - 1), since_offset)
    previous = np.where(
        promoted, "teller", np.where(role == "branch_head", "account_manager", None)
    )
    days = rng.integers(1, 29, total)
    hired = month_days(as_of, hire_offset, days)
    since = month_days(as_of, since_offset, np.where(promoted, 1, days))
    since = np.maximum(since, hired)
    return pd.DataFrame(
        {
            "staff_id": np.arange(1, total + 1),
            "branch_id": branches["branch_id"].to_numpy()[branch_pos],
            "full_name": names.full_names(rng, rng.random(total) < 0.55),
            "role": role,
            "hongyan_level": pd.Series(hongyan, dtype="Int64").mask(~is_wm),
            "hired_on": hired,
            "previous_role": previous,
            "role_since": since,
            "_since_month": since_offset - window,
        }
    )


def _employers(
    rng: np.random.Generator, coops: pd.DataFrame, branches: pd.DataFrame, coop_customers
) -> pd.DataFrame:
    records = []
    for coop in range(len(coops)):
        count = int(np.clip(1 + coop_customers[coop] // 2500, 1, len(EMPLOYER_TEMPLATES)))
        own = branches.index[branches["_coop"] == coop].to_numpy()
        head = branches["branch_id"].iat[own[0]]
        for template in rng.permutation(len(EMPLOYER_TEMPLATES))[:count]:
            zh, en, industry = EMPLOYER_TEMPLATES[template]
            at_head = rng.random() < 0.6
            branch = head if at_head else branches["branch_id"].iat[rng.choice(own)]
            records.append(
                {
                    "branch_id": int(branch),
                    "name_zh": f"{coops['_short_zh'].iat[coop]}{zh}",
                    "name_en": f"{coops['_pinyin'].iat[coop]} {en}",
                    "industry_class": industry,
                    "_coop": coop,
                }
            )
    frame = pd.DataFrame.from_records(records)
    frame.insert(0, "employer_id", np.arange(1, len(frame) + 1))
    frame["count_employees"] = 0  # filled once customers are linked to employers
    return frame


def build_organisation(
    seed: int,
    customers: int,
    first_month: dt.date,
    as_of: dt.date,
    customers_per_branch: int = CUSTOMERS_PER_BRANCH,
) -> Organisation:
    """Draw the whole organisation for ``customers`` customers (deterministic in ``seed``)."""
    rng = stream(seed, "organisation")
    n_branches_wanted = branch_count(customers, customers_per_branch)
    n_pref = prefecture_count(n_branches_wanted)
    coops = _cooperatives(rng, n_branches_wanted, n_pref)
    n_branches = max(n_branches_wanted, 2 * len(coops))
    per_coop = _allocate_at_least(n_branches, rng.gamma(4.0, size=len(coops)), 2)
    coop_of_branch = np.repeat(np.arange(len(coops)), per_coop)
    types = _branch_types(rng, coop_of_branch, coops["_urban"].to_numpy())
    size = np.array([BRANCH_TYPE_SIZE[t] for t in types]) * rng.lognormal(
        0, BRANCH_SIZE_SIGMA, n_branches
    )
    branch_customers = _allocate_at_least(customers, size, 0)
    zh, en = _branch_names(rng, types, coop_of_branch, coops)
    opened_first = np.select([types == TOWNSHIP, types == COUNTY_TOWN], [1955, 1980], default=2005)
    opened_year = rng.integers(opened_first, np.where(types == COMMUNITY, 2021, 2012))
    opened = pd.to_datetime(
        {"year": opened_year, "month": rng.integers(1, 13, n_branches), "day": 1}
    ).dt.date
    branches = pd.DataFrame(
        {
            "branch_id": np.arange(1, n_branches + 1),
            "cooperative_id": coops["cooperative_id"].to_numpy()[coop_of_branch],
            "prefecture_id": coops["prefecture_id"].to_numpy()[coop_of_branch],
            "name_en": en,
            "name_zh": zh,
            "branch_type": np.array(BRANCH_TYPE_CODES)[types],
            "opened_on": opened,
            "_coop": coop_of_branch,
        }
    )
    staff = _staff(rng, branches, types, branch_customers, first_month, as_of)
    branches["count_staff"] = np.bincount(staff["branch_id"].to_numpy() - 1, minlength=n_branches)
    coop_customers = np.bincount(coop_of_branch, weights=branch_customers, minlength=len(coops))
    employers = _employers(rng, coops, branches, coop_customers)
    role = staff["role"].to_numpy()
    staff_branch = staff["branch_id"].to_numpy() - 1

    def _first_and_count(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        count = np.bincount(staff_branch[mask], minlength=n_branches)
        first = np.full(n_branches, -1)
        positions = np.flatnonzero(mask)
        first[staff_branch[positions[::-1]]] = positions[::-1]
        return first, count

    wm_first, wm_count = _first_and_count(role == "wealth_manager")
    am_first, am_count = _first_and_count(role == "account_manager")
    effect = rng.normal(0.0, 0.3, n_branches)
    prefectures = pd.DataFrame(
        {
            "prefecture_id": np.arange(1, n_pref + 1),
            "name_en": [p.name_en for p in places.PREFECTURES[:n_pref]],
            "name_zh": [p.name_zh for p in places.PREFECTURES[:n_pref]],
            "population_10k": [p.population_10k for p in places.PREFECTURES[:n_pref]],
        }
    )
    employer_coop = employers["_coop"].to_numpy()
    employer_count = np.bincount(employer_coop, minlength=len(coops))
    return Organisation(
        prefectures=prefectures,
        cooperatives=coops,
        branches=branches,
        staff=staff,
        employers=employers,
        branch_customers=branch_customers,
        branch_type=types,
        branch_coop=coop_of_branch,
        branch_effect=effect,
        region_code=coops["_region"].to_numpy(),
        wm_first=wm_first,
        wm_count=wm_count,
        am_first=am_first,
        am_count=am_count,
        staff_since_month=staff["_since_month"].to_numpy(),
        employer_first=np.r_[0, np.cumsum(employer_count)[:-1]],
        employer_count=employer_count,
    )


__all__ = ["Organisation", "branch_count", "build_organisation", "prefecture_count"]
