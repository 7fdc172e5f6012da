"""Personal data and place names: Chinese names, resident ID numbers, mobiles, card numbers.

Everything is vectorised (a million names in well under a second) and looks real enough for the
masking code to be exercised: 18-character ID numbers with Gansu region codes, the birth date of
the customer and a valid ISO 7064 check character; 19-digit card numbers with a Luhn check digit;
mobiles on real Chinese prefixes. None of them belongs to anybody.
"""

from __future__ import annotations

import numpy as np

# Common surnames in Gansu with rough weights (马 is frequent among the Hui of Linxia).
SURNAMES = np.array(
    list("王李张刘杨马赵陈魏何牛郭孙徐周吴黄高朱胡冯")
    + list("董韩唐曹邓许苏田任姚蒲雷闫贾柴党石罗")
)
SURNAME_WEIGHTS = np.array(
    [
        7.0,
        7.0,
        6.5,
        5.0,
        4.0,
        3.5,
        2.5,
        2.5,
        1.5,
        1.3,
        1.0,
        1.2,
        1.0,
        0.9,
        1.0,
        0.9,
        0.8,
        1.0,
        0.8,
        0.8,
        0.7,
        0.7,
        0.7,
        0.5,
        0.6,
        0.4,
        0.4,
        0.5,
        0.6,
        0.6,
        0.4,
        0.5,
        0.4,
        0.6,
        0.6,
        0.3,
        0.3,
        0.5,
        0.6,
    ]
)
GIVEN_MALE = np.array(
    list("伟强军建国明平刚文华勇峰斌涛鹏辉东海林杰") + list("成荣福贵宝忠兴德生学志永俊浩宇龙祥彪")
)
GIVEN_FEMALE = np.array(
    list("芳秀英兰霞梅娟燕丽玲红艳萍琴桂凤敏") + list("静慧婷雪娜莉洁花珍玉春香莲丹晶")
)

# Chinese mobile prefixes of the three carriers.
MOBILE_PREFIXES = np.array(
    [
        130,
        131,
        132,
        133,
        135,
        136,
        137,
        138,
        139,
        150,
        151,
        152,
        153,
        155,
        157,
        158,
        159,
        180,
        181,
        182,
        183,
        186,
        187,
        188,
        189,
        191,
        193,
        198,
        199,
    ]
)
# Debit-card BINs of the "Feitian" card family (飞天卡) used for the demo.
CARD_BINS = np.array([623065, 622836])

# Syllables for township and village names, with their pinyin.
_TOWN_FIRST = "新石金红马柳沙高白黑青杨三大小东西南北上中平安永太长双龙花古官清水黄羊"
_TOWN_FIRST_PY = (
    "Xin",
    "Shi",
    "Jin",
    "Hong",
    "Ma",
    "Liu",
    "Sha",
    "Gao",
    "Bai",
    "Hei",
    "Qing",
    "Yang",
    "San",
    "Da",
    "Xiao",
    "Dong",
    "Xi",
    "Nan",
    "Bei",
    "Shang",
    "Zhong",
    "Ping",
    "An",
    "Yong",
    "Tai",
    "Chang",
    "Shuang",
    "Long",
    "Hua",
    "Gu",
    "Guan",
    "Qing",
    "Shui",
    "Huang",
    "Yang",
)
_TOWN_SECOND = "川庄坪岔沟湾河寨店集滩堡峪塬山城关门泉源池窑岭铺"
_TOWN_SECOND_PY = (
    "chuan",
    "zhuang",
    "ping",
    "cha",
    "gou",
    "wan",
    "he",
    "zhai",
    "dian",
    "ji",
    "tan",
    "bu",
    "yu",
    "yuan",
    "shan",
    "cheng",
    "guan",
    "men",
    "quan",
    "yuan",
    "chi",
    "yao",
    "ling",
    "pu",
)
_STREETS = (
    ("城关", "Chengguan"),
    ("东关", "Dongguan"),
    ("西关", "Xiguan"),
    ("南关", "Nanguan"),
    ("北关", "Beiguan"),
    ("东街", "Dongjie"),
    ("西街", "Xijie"),
    ("南街", "Nanjie"),
    ("北街", "Beijie"),
    ("新区", "Xinqu"),
    ("人民路", "Renmin Road"),
    ("解放路", "Jiefang Road"),
    ("建设路", "Jianshe Road"),
    ("和平路", "Heping Road"),
    ("火车站", "Railway Station"),
    ("开发区", "Development Zone"),
    ("滨河路", "Binhe Road"),
    ("中山街", "Zhongshan Street"),
)
_COMMUNITIES = (
    ("东岗", "Donggang"),
    ("滨河", "Binhe"),
    ("金城", "Jincheng"),
    ("幸福", "Xingfu"),
    ("阳光", "Yangguang"),
    ("和谐", "Hexie"),
    ("康乐", "Kangle"),
    ("文化", "Wenhua"),
    ("兴隆", "Xinglong"),
    ("广场", "Guangchang"),
    ("团结", "Tuanjie"),
    ("新华", "Xinhua"),
    ("建新", "Jianxin"),
    ("友谊", "Youyi"),
    ("光明", "Guangming"),
    ("胜利", "Shengli"),
)
_VILLAGE_SUFFIX = np.array(list("庄沟湾坪岔塬"))


def _pick(rng: np.random.Generator, values: np.ndarray, size: int, weights=None) -> np.ndarray:
    if weights is None:
        return values[rng.integers(0, len(values), size)]
    cumulative = np.cumsum(weights) / np.sum(weights)
    return values[np.searchsorted(cumulative, rng.random(size), side="right")]


def surnames(rng: np.random.Generator, size: int) -> np.ndarray:
    return _pick(rng, SURNAMES, size, SURNAME_WEIGHTS)


def given_names(rng: np.random.Generator, is_male: np.ndarray) -> np.ndarray:
    """One- or two-character given names drawn from the pools of each gender."""
    size = len(is_male)
    first = np.where(is_male, _pick(rng, GIVEN_MALE, size), _pick(rng, GIVEN_FEMALE, size))
    second = np.where(is_male, _pick(rng, GIVEN_MALE, size), _pick(rng, GIVEN_FEMALE, size))
    second = np.where(rng.random(size) < 0.75, second, "")
    return np.char.add(first, second)


def full_names(
    rng: np.random.Generator, is_male: np.ndarray, family: np.ndarray | None = None
) -> np.ndarray:
    """Full names; ``family`` gives the surname where set (household members share it)."""
    family = surnames(rng, len(is_male)) if family is None else family
    return np.char.add(family, given_names(rng, is_male)).astype(object)


def _digits(numbers: np.ndarray, width: int) -> np.ndarray:
    """(n, width) digits of non-negative integers, most significant first."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (numbers[:, None] // powers[None, :]) % 10


def id_numbers(
    rng: np.random.Generator,
    region: np.ndarray,
    birth_year: np.ndarray,
    is_male: np.ndarray,
) -> np.ndarray:
    """Unique 18-character resident ID numbers (GB 11643): region, birth date, order, check."""
    size = len(region)
    month = rng.integers(1, 13, size)
    day = rng.integers(1, 29, size)
    birth = birth_year.astype(np.int64) * 10_000 + month * 100 + day
    # The order code is unique among people of one region, birth date and gender; odd for men.
    key = (region.astype(np.int64) * 100_000_000 + birth) * 2 + is_male
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    starts = np.r_[True, sorted_key[1:] != sorted_key[:-1]]
    group_start = np.maximum.accumulate(np.where(starts, np.arange(size), 0))
    rank = np.empty(size, dtype=np.int64)
    rank[order] = np.arange(size) - group_start
    base = rng.integers(0, 250, size)
    sequence = ((base + rank * 2) % 500) * 2 + is_male.astype(np.int64)
    body = region.astype(np.int64) * 10**11 + birth * 1000 + sequence
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    remainder = (_digits(body, 17) * weights).sum(axis=1) % 11
    check = np.array(list("10X98765432"))[remainder]
    return np.char.add(np.char.zfill(body.astype(str), 17), check).astype(object)


def mobiles(rng: np.random.Generator, size: int) -> np.ndarray:
    prefix = _pick(rng, MOBILE_PREFIXES, size).astype(np.int64)
    return (prefix * 10**8 + rng.integers(0, 10**8, size)).astype(str).astype(object)


def card_numbers(rng: np.random.Generator, serial: np.ndarray) -> np.ndarray:
    """Unique 19-digit card numbers: a 62xxxx BIN, 12 digits from the serial, Luhn check."""
    size = len(serial)
    bins = _pick(rng, CARD_BINS, size).astype(np.int64)
    # An affine map modulo 10**12 with a multiplier prime to 10 is a bijection: still unique.
    account = (serial.astype(np.int64) * 7_919_317 + 104_729) % 10**12
    payload = bins * 10**12 + account
    digits = _digits(payload, 18)
    doubled = digits[:, 1::2] * 2  # from the right, every second payload digit is doubled
    total = digits[:, 0::2].sum(axis=1) + (doubled // 10 + doubled % 10).sum(axis=1)
    check = (10 - total % 10) % 10
    return (payload * 10 + check).astype(str).astype(object)


def town_names(rng: np.random.Generator, size: int) -> list[tuple[str, str]]:
    """Two-character township names with pinyin (和平 / Heping), distinct up to the pool size."""
    pool = [
        (a + b, pa + pb)
        for a, pa in zip(_TOWN_FIRST, _TOWN_FIRST_PY, strict=True)
        for b, pb in zip(_TOWN_SECOND, _TOWN_SECOND_PY, strict=True)
    ]
    picks = rng.permutation(len(pool))
    # Past the pool names repeat; the organisation builder prefixes repeats with the county.
    return [pool[picks[i % len(pool)]] for i in range(size)]


def street_names(rng: np.random.Generator, size: int) -> list[tuple[str, str]]:
    picks = rng.permutation(len(_STREETS))
    return [_STREETS[picks[i % len(_STREETS)]] for i in range(size)]


def community_names(rng: np.random.Generator, size: int) -> list[tuple[str, str]]:
    picks = rng.permutation(len(_COMMUNITIES))
    return [_COMMUNITIES[picks[i % len(_COMMUNITIES)]] for i in range(size)]


def village_names(rng: np.random.Generator, size: int, is_farm: np.ndarray) -> np.ndarray:
    """王家庄村 / 新庄村 for farm households, 幸福社区 style for town households."""
    family = np.char.add(surnames(rng, size), "家")
    plain = _pick(rng, np.array(list(_TOWN_FIRST)), size)
    head = np.where(rng.random(size) < 0.6, family, plain)
    village = np.char.add(np.char.add(head, _pick(rng, _VILLAGE_SUFFIX, size)), "村")
    community = np.char.add(_pick(rng, np.array([zh for zh, _ in _COMMUNITIES]), size), "社区")
    return np.where(is_farm, village, community).astype(object)
