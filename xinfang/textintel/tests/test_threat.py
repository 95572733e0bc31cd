"""扬言 detection on petition texts written for these tests: what must fire, what must not, and why.

The lexicon is the default of the town configuration (the one towns get without a `threat` section;
configs/fenjie.yaml spells out the same)."""

import time
from pathlib import Path

import pytest

from xinfang.org.config_schema import threat_default
from xinfang.textintel.threat import Lexicon, detect_threats

LEXICON = Lexicon.from_config(threat_default())

# (text, the phrases found in order, why)
FIRING = [
    (
        "我家承包地被村里强行占用三年了，补偿款一分没给，再不解决我就去北京上访。",
        ["去北京"],
        "不…就… conditional: the negation governs 解决, not the threat",
    ),
    (
        "如果再不处理，我就喝农药死在镇政府门口。",
        ["喝农药"],
        "condition in its own clause, threat in the next",
    ),
    ("这个事拖了两年没人管，我们只能去省里讨个说法了。", ["去省里", "讨个说法"], "只能 breaks the 没"),
    ("工资被拖欠半年，老板再不给钱，我就从他厂房楼顶跳楼。", ["跳楼"], "plain threat after a condition"),
    ("信访人情绪激动，称不解决就去北京上访。", ["去北京"], "clerk's record of the petitioner's words"),
    ("拆迁补偿不公平，我们几十户已经商量好了，要去北京上访。", ["要去北京上访"], "the pattern, one hit"),
    ("我们不得不去北京反映。", ["去北京"], "不得不 is a double negation"),
    ("你们不给解决，我就找媒体曝光，让全国人民都知道。", ["找媒体"], "媒体炒作"),
    ("明天我们组织全组村民到镇政府门口拉横幅。", ["拉横幅"], "聚集"),
    ("再拖下去，我们就去县道上堵路。", ["堵路"], "堵路"),
    ("逼急了我就跟他们同归于尽。", ["同归于尽"], "极端暴力"),
    (
        "我活不下去了，不如一死了之。",
        ["活不下去了", "一死了之"],
        "不如 and the 不 inside a term negate nothing",
    ),
    (
        "听说有人去北京上访后问题就解决了，如果你们还不解决，我也去北京。",
        ["去北京"],
        "the first is hearsay, the second turns back to the petitioner (如果…我)",
    ),
    ("信访人扬言：“不给说法就天天来闹。”", ["不给说法就天天来闹"], "a quotation of the petitioner"),
    ("上访到底，决不罢休！", ["上访到底"], "决不罢休 affirms"),
    ("我已经买好了汽油，你们看着办，大不了泼汽油。", ["泼汽油"], "大不了 is no negation"),
    ("要是这次还不给我们答复，全村人就去堵门。", ["堵门"], "the negation is in the condition"),
    ("宅基地纠纷镇里一直推诿，我们准备去南京找省信访局。", ["去南京"], "the provincial capital"),
    ("村干部贪污扶贫款，我要发到网上让大家评评理。", ["发到网上"], "媒体炒作 online"),
    ("没人管就只能去北京了。", ["去北京"], "没…就 in one clause: a consequence, not a denial"),
    ("不解决问题，我就在镇政府门口自焚。", ["自焚"], "自伤"),
    ("如果调解不成，我就去省城告他们。", ["去省城"], "condition then threat"),
    ("家里老人被他们打伤了，这事没完，我一定要到北京讨说法。", ["要到北京讨说法"], "pattern with 讨说法"),
    ("他们再不退钱，我就拿刀砍了他们。", ["砍了他们"], "pattern 极端暴力"),
    ("实在不行我们就去高速上拦车。", ["拦车"], "不行…就"),
    ("信访人扬言进京上访", ["进京"], "a title written by the clerk"),
    ("镇里必须给我们一个说法，否则我们就组织村民去县里上访。", ["组织村民去县里"], "pattern 聚集"),
    ("我要去北京告你们！", ["要去北京告"], "pattern"),
    ("不去北京不行了，镇里根本不管。", ["去北京"], "不…不行 insists"),
    ("对处理结果很不满意，要去省里上访。", ["要去省里上访"], "不满意 is a complaint, not a denial"),
    ("很不满意要去北京上访", ["要去北京上访"], "…even in the same clause"),
    (
        "我不会去北京，但如果再不处理，我就去省里。",
        ["去省里"],
        "the first is denied, the second is a conditional threat",
    ),
    (
        "信访人张某来访，他说不解决就去北京。",
        ["去北京"],
        "in a clerk's record 他 is the petitioner: 他说 is not hearsay",
    ),
    (
        "上次去北京上访被劝返了，这次不解决还去北京。",
        ["去北京"],
        "the past visit is a fact, the new one a threat",
    ),
    ("再不解决，我们就到北京上访过年。", ["到北京"], "过年 is no past tense"),
    ("他们要是敢强拆，我就跟他们拼了。", ["跟他们拼了"], "pattern 拼命"),
    ("信访人称将继续上访到底。", ["上访到底"], "a clerk's record of an intention"),
    ("镇里不作为，我们要进京讨说法。", ["进京", "讨说法"], "two phrases, two hits"),
    ("我在工地摔伤后老板不管，再这样下去我只有死路一条。", ["死路一条"], "despair is 扬言 too"),
    (
        "信访人情绪激动，声称如果月底前不赔偿，就带着全家去省里上访，并要在镇政府门口拉横幅。",
        ["去省里", "拉横幅"],
        "a clerk's record: 声称 is the petitioner's",
    ),
]

NOT_FIRING = [
    ("我不会去北京上访，相信镇里能解决好。", "不会: a denied intention"),
    ("本人保证不再去省里上访，服从处理意见。", "保证不再"),
    ("听说隔壁村有人跳楼，我们很害怕，希望政府重视安全。", "hearsay (听说)"),
    ("他说‘要去北京’，我们不会这样做，只希望尽快处理。", "a quotation of another speaker"),
    ("新闻里报道某地有人自焚，我们村里人都在议论。", "the news"),
    ("商场搞跳楼价促销，我买的电视机有质量问题。", "跳楼价 is a sale"),
    ("每天要去北京东路菜场卖菜，路边摊位被城管收走了。", "北京东路 is a street"),
    ("儿子去北京打工，家里老人无人照顾，申请低保。", "going to Beijing to work"),
    ("对方采取自杀式的降价手段抢生意，我们的厂子快倒闭了。", "自杀式 is an idiom"),
    ("我们绝不采取堵路、拉横幅等过激行为，只希望依法解决。", "one intention cue denies the list"),
    ("以前有人去省里上访，也没有解决问题。", "以前有人: another's past"),
    ("我从来没有想过要去北京上访，只想把地界划清楚。", "从来没有 … 想过要"),
    ("信访人表示今后不去省里、不去北京，有问题到镇里反映。", "不去 … 、不去"),
    ("并非要去北京闹事，只是想要回自己的钱。", "并非"),
    ("邻居说要去北京，我劝他别去。", "邻居说: another's words"),
    ("电视上看到有人拉横幅讨薪，我不会这样做。", "television"),
    ("比如去年有人在镇政府门口喝农药，这种事谁也不想看到。", "an example (比如)"),
    ("大儿子进京务工多年，宅基地被邻居占了。", "进京务工"),
    ("我气得头都要爆炸了，但还是相信政府。", "an idiom of anger"),
    ("村里拉横幅宣传防诈骗，横幅挂在我家墙上没经过同意。", "a notice banner"),
    ("我保证以后不会越级上访，也不会找媒体。", "two denied intentions"),
    ("村干部讲：“你们有本事就去北京告。”我们只想按政策办事。", "the cadre's words, quoted"),
    ("网上说有人要炸了镇政府，这是谣言，请公安查处。", "网上说: a rumour reported"),
    ("我没有去北京，也没有去省里，一直在镇里等答复。", "没有: it did not happen"),
    ("据说上个月有人在县城堵路，我们不参与。", "据说"),
    ("有人说要去省里上访，我们不同意这种做法。", "有人说"),
    ("去北京看病花了十多万，新农合报销比例太低。", "going to Beijing for treatment"),
    ("我们不想去省城，只希望镇里主持公道。", "不想"),
    ("小区旁边的加油站存在爆炸隐患，请求相关部门检查。", "a safety hazard, not a threat"),
    ("我家住在北京路18号，门口下水道堵了半年没人修。", "an address"),
    ("“跳楼”“自焚”这些话我们从来不说，只求依法办事。", "the words named, and denied"),
    ("我们去年去省里反映过，没有结果。", "a past visit (去年 … 过) is a fact of the file"),
    ("希望领导给我们讨个说法，把补偿款落实到位。", "asking the town for an answer"),
    ("我父亲去年到北京住院，医药费报销不了。", "a stay in hospital"),
    ("强拆那天我母亲差点跳楼，现在还在住院。", "a near miss that day: a fact, not a threat"),
    ("老公喝农药走了，留下我和两个孩子，申请救助。", "a death told, not threatened"),
    ("儿子在北京工作，我想去北京看孙子。", "a family visit"),
    ("村里开会说谁去北京上访就扣谁的补助，这合理吗？", "the village's rule reported"),
    ("信访人说他不会去北京。", "in a clerk's record 他 is the petitioner, and he denies it"),
    ("有业主在群里说要拉横幅、找媒体，我们劝住了。", "other owners' words"),
    (
        "村主任说“要钱没有，你去北京告也没用”。我不想给政府添麻烦。",
        "the village head's words, quoted",
    ),
]


@pytest.mark.parametrize(("text", "phrases", "why"), FIRING, ids=[f"fires-{i}" for i in range(len(FIRING))])
def test_fires(text, phrases, why):
    assert [h.phrase for h in detect_threats(text, LEXICON)] == phrases, why


@pytest.mark.parametrize(("text", "why"), NOT_FIRING, ids=[f"quiet-{i}" for i in range(len(NOT_FIRING))])
def test_does_not_fire(text, why):
    assert detect_threats(text, LEXICON) == [], why


def test_enough_cases_both_ways():
    assert len(FIRING) >= 25
    assert len(NOT_FIRING) >= 25


def test_hit_has_kind_span_and_sentence():
    text = "我们反映了很多次。再不解决，我就去北京上访！村里的路也该修了。"
    (hit,) = detect_threats(text, LEXICON)
    assert hit.kind == "越级进京赴省"
    assert text[hit.start : hit.end] == hit.phrase == "去北京"
    assert hit.sentence == "再不解决，我就去北京上访！"
    assert text[hit.sentence_start : hit.sentence_start + len(hit.sentence)] == hit.sentence
    assert hit.as_dict()["start"] == hit.start


def test_kinds_follow_the_lexicon():
    found = {
        h.kind
        for h in detect_threats(
            "不解决我就喝农药。不解决就去省里。不解决我们就去堵路。不解决就找媒体。不解决就同归于尽。",
            LEXICON,
        )
    }
    assert found == {"自伤自杀", "越级进京赴省", "聚集堵路", "媒体炒作", "极端暴力"}


def test_the_town_lexicon_decides():
    """A town's own terms, patterns, negations and exclusions are what is read."""
    own = Lexicon.from_config(
        {
            "terms": {"越级": ["去县里"]},
            "patterns": [{"kind": "闹访", "regex": "天天来(闹|骂)"}],
            "negations": ["不会"],
            "reported": ["听说"],
            "exclusions": ["去县里开会"],
        }
    )
    assert [h.phrase for h in detect_threats("不解决就去县里，天天来闹", own)] == ["去县里", "天天来闹"]
    assert detect_threats("我不会去县里", own) == []
    assert detect_threats("明天去县里开会", own) == []
    assert detect_threats("不解决就去北京", own) == []  # not in this town's lexicon


def test_empty_and_huge_texts():
    assert detect_threats("", LEXICON) == []
    started = time.perf_counter()
    text = "村里修路占了我家的地，补偿一直没到位，镇里说再等等。" * 400 + "不解决我就去北京。"
    hits = detect_threats(text, LEXICON)
    assert [h.phrase for h in hits] == ["去北京"]
    # 10,000 characters: far below a registration's own cost.
    assert time.perf_counter() - started < 0.5


def test_fenjie_file_spells_out_the_default():
    from xinfang.org.loader import read_config

    config = read_config(Path(__file__).resolve().parents[3] / "configs" / "fenjie.yaml")
    assert config.threat.model_dump() == threat_default()
