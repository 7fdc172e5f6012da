"""Gansu's prefectures and their 83 county-level rural-credit legal entities (reference data).

Prefectures follow DEMO-DATA-FACTS (2020 population, 10k people). Each prefecture lists its
county-level entities: the urban districts of Lanzhou and Tianshui each form one city bank, as
they do in reality, so the 83 entities match the province's 83 legal entities. ``kind`` is the
administrative kind of the seat (county, district, city, city_bank), which decides the Chinese
and English names and how urban the cooperative's branches are.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogue import codes


@dataclass(frozen=True)
class County:
    short_zh: str  # as used in bank names: 榆中
    full_zh: str  # 榆中县
    pinyin: str  # Yuzhong
    kind: str  # county | district | city | city_bank | named


@dataclass(frozen=True)
class Prefecture:
    code: str  # first four digits of the resident ID number
    name_zh: str
    name_en: str
    population_10k: float
    counties: tuple[County, ...]


def _c(short_zh: str, full_zh: str, pinyin: str, kind: str = "county") -> County:
    return County(short_zh, full_zh, pinyin, kind)


PREFECTURES: tuple[Prefecture, ...] = (
    Prefecture(
        "6201",
        "兰州市",
        "Lanzhou",
        435.9,
        (
            _c("兰州", "兰州", "Lanzhou", "city_bank"),
            _c("红古", "红古区", "Honggu", "district"),
            _c("永登", "永登县", "Yongdeng"),
            _c("皋兰", "皋兰县", "Gaolan"),
            _c("榆中", "榆中县", "Yuzhong"),
        ),
    ),
    Prefecture(
        "6205",
        "天水市",
        "Tianshui",
        298.5,
        (
            _c("天水", "天水", "Tianshui", "city_bank"),
            _c("清水", "清水县", "Qingshui"),
            _c("秦安", "秦安县", "Qin'an"),
            _c("甘谷", "甘谷县", "Gangu"),
            _c("武山", "武山县", "Wushan"),
            _c("张家川", "张家川回族自治县", "Zhangjiachuan"),
        ),
    ),
    Prefecture(
        "6211",
        "定西市",
        "Dingxi",
        252.4,
        (
            _c("安定", "安定区", "Anding", "district"),
            _c("通渭", "通渭县", "Tongwei"),
            _c("陇西", "陇西县", "Longxi"),
            _c("渭源", "渭源县", "Weiyuan"),
            _c("临洮", "临洮县", "Lintao"),
            _c("漳县", "漳县", "Zhangxian"),
            _c("岷县", "岷县", "Minxian"),
        ),
    ),
    Prefecture(
        "6212",
        "陇南市",
        "Longnan",
        240.7,
        (
            _c("武都", "武都区", "Wudu", "district"),
            _c("成县", "成县", "Chengxian"),
            _c("文县", "文县", "Wenxian"),
            _c("宕昌", "宕昌县", "Tanchang"),
            _c("康县", "康县", "Kangxian"),
            _c("西和", "西和县", "Xihe"),
            _c("礼县", "礼县", "Lixian"),
            _c("徽县", "徽县", "Huixian"),
            _c("两当", "两当县", "Liangdang"),
        ),
    ),
    Prefecture(
        "6210",
        "庆阳市",
        "Qingyang",
        218.0,
        (
            _c("西峰", "西峰区", "Xifeng", "district"),
            _c("庆城", "庆城县", "Qingcheng"),
            _c("环县", "环县", "Huanxian"),
            _c("华池", "华池县", "Huachi"),
            _c("合水", "合水县", "Heshui"),
            _c("正宁", "正宁县", "Zhengning"),
            _c("宁县", "宁县", "Ningxian"),
            _c("镇原", "镇原县", "Zhenyuan"),
        ),
    ),
    Prefecture(
        "6229",
        "临夏州",
        "Linxia",
        211.0,
        (
            _c("临夏", "临夏市", "Linxia", "city"),
            _c("临夏县", "临夏县", "Linxia County", "named"),
            _c("康乐", "康乐县", "Kangle"),
            _c("永靖", "永靖县", "Yongjing"),
            _c("广河", "广河县", "Guanghe"),
            _c("和政", "和政县", "Hezheng"),
            _c("东乡", "东乡族自治县", "Dongxiang"),
            _c("积石山", "积石山县", "Jishishan"),
        ),
    ),
    Prefecture(
        "6208",
        "平凉市",
        "Pingliang",
        184.9,
        (
            _c("崆峒", "崆峒区", "Kongtong", "district"),
            _c("泾川", "泾川县", "Jingchuan"),
            _c("灵台", "灵台县", "Lingtai"),
            _c("崇信", "崇信县", "Chongxin"),
            _c("华亭", "华亭市", "Huating", "city"),
            _c("庄浪", "庄浪县", "Zhuanglang"),
            _c("静宁", "静宁县", "Jingning"),
        ),
    ),
    Prefecture(
        "6204",
        "白银市",
        "Baiyin",
        151.2,
        (
            _c("白银", "白银区", "Baiyin", "district"),
            _c("平川", "平川区", "Pingchuan", "district"),
            _c("靖远", "靖远县", "Jingyuan"),
            _c("会宁", "会宁县", "Huining"),
            _c("景泰", "景泰县", "Jingtai"),
        ),
    ),
    Prefecture(
        "6206",
        "武威市",
        "Wuwei",
        146.5,
        (
            _c("凉州", "凉州区", "Liangzhou", "district"),
            _c("民勤", "民勤县", "Minqin"),
            _c("古浪", "古浪县", "Gulang"),
            _c("天祝", "天祝藏族自治县", "Tianzhu"),
        ),
    ),
    Prefecture(
        "6207",
        "张掖市",
        "Zhangye",
        113.1,
        (
            _c("甘州", "甘州区", "Ganzhou", "district"),
            _c("肃南", "肃南裕固族自治县", "Sunan"),
            _c("民乐", "民乐县", "Minle"),
            _c("临泽", "临泽县", "Linze"),
            _c("高台", "高台县", "Gaotai"),
            _c("山丹", "山丹县", "Shandan"),
        ),
    ),
    Prefecture(
        "6209",
        "酒泉市",
        "Jiuquan",
        105.6,
        (
            _c("肃州", "肃州区", "Suzhou", "district"),
            _c("金塔", "金塔县", "Jinta"),
            _c("瓜州", "瓜州县", "Guazhou"),
            _c("肃北", "肃北蒙古族自治县", "Subei"),
            _c("阿克塞", "阿克塞哈萨克族自治县", "Aksay"),
            _c("玉门", "玉门市", "Yumen", "city"),
            _c("敦煌", "敦煌市", "Dunhuang", "city"),
        ),
    ),
    Prefecture(
        "6230",
        "甘南州",
        "Gannan",
        69.2,
        (
            _c("合作", "合作市", "Hezuo", "city"),
            _c("临潭", "临潭县", "Lintan"),
            _c("卓尼", "卓尼县", "Zhuoni"),
            _c("舟曲", "舟曲县", "Zhouqu"),
            _c("迭部", "迭部县", "Diebu"),
            _c("玛曲", "玛曲县", "Maqu"),
            _c("碌曲", "碌曲县", "Luqu"),
            _c("夏河", "夏河县", "Xiahe"),
        ),
    ),
    Prefecture(
        "6203",
        "金昌市",
        "Jinchang",
        43.8,
        (
            _c("金川", "金川区", "Jinchuan", "district"),
            _c("永昌", "永昌县", "Yongchang"),
        ),
    ),
    Prefecture(
        "6202", "嘉峪关市", "Jiayuguan", 31.3, (_c("嘉峪关", "嘉峪关市", "Jiayuguan", "city"),)
    ),
)

# Share of legal forms among the 83 entities (37 banks, 5 cooperative banks, 41 unions).
LEGAL_FORMS: tuple[tuple[str, int], ...] = (
    (codes.LEGAL_FORM.code("rural_commercial_bank"), 37),
    (codes.LEGAL_FORM.code("rural_cooperative_bank"), 5),
    (codes.LEGAL_FORM.code("credit_union"), 41),
)

# "named" seats carry their kind in the pinyin already (Linxia County beside Linxia City).
_KIND_EN = {
    "county": "County",
    "district": "District",
    "city": "City",
    "city_bank": "",
    "named": "",
}


def cooperative_names(county: County, legal_form: str) -> tuple[str, str]:
    """Chinese and English names of a cooperative: 榆中县农村信用合作联社 / Yuzhong County RCC."""
    if legal_form == "credit_union":
        zh = f"{county.full_zh}农村信用合作联社"
        en = " ".join(p for p in (county.pinyin, _KIND_EN[county.kind], "RCC") if p)
    elif legal_form == "rural_cooperative_bank":
        zh = f"甘肃{county.short_zh}农村合作银行"
        en = f"Gansu {county.pinyin} Rural Cooperative Bank"
    else:
        zh = f"甘肃{county.short_zh}农村商业银行"
        en = f"Gansu {county.pinyin} Rural Commercial Bank"
    return zh, en
