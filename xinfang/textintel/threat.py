"""扬言 (threat language) in a petition's text: what the petitioner says they will do to themselves,
to others, or to force the matter (go to Beijing or the province, block a road, call the press).

The plan asks that such petitions be handled at once (扬言事项立即办理), so a miss is costly; but a
petition that only *mentions* such words is common too (a letter quoting the news, a petitioner
promising not to go to Beijing, a shop on 北京路), and a flag that cries wolf is soon ignored. The
detector is therefore a lexicon and a few patterns from the town's configuration, read with the
handful of rules of Chinese that decide whether a phrase is the petitioner's own intention:

1. Candidates. Every term of the lexicon and every pattern match, longest first; overlapping
   matches keep the one that starts first (then the longer one), so "要去北京上访" is one hit.
2. Exclusions. A candidate overlapping an exclusion match is an idiom or a name, not a threat:
   自杀式, 跳楼价, 爆炸性新闻, 北京路, 进京务工, 去北京看病 …
3. Sentences and clauses. The text is cut into sentences at 。！？；and line ends, and sentences into
   clauses at ，：. Negation is a clause-level matter; reported speech a sentence-level one.
4. Negation. A negation cue before the candidate in the same clause cancels it, in one of two
   scopes. A cue of intention (不会, 不再, 绝不, 不想, 保证不, 并非 … : any cue holding 会 再 想 打算
   准备 保证 承诺 绝 决 非 意 至) reaches to the end of the clause. Any other cue (不, 没有, 不去,
   别 …) reaches only the phrase right after it: between the cue and the candidate there may be
   nothing but modal words and the like (再, 会, 要, 想过, 采取, 、, 等 …) and other candidates
   ("绝不采取堵路、拉横幅等过激行为" cancels both). "很不满意要去北京" is not negated: 满意 is a
   predicate of its own.
   A negation never cancels across a consequence or a turn: "不解决我就去北京", "没人管只能去
   省里", "我不会去北京，但如果再不处理…" fire: that is the 不…就… conditional threat. Double
   negations and emphatic negations (不得不, 不得已, 绝不罢休, 不惜 …) are masked before the cues are
   looked for, and a candidate followed by 不行 / 不可 / 没完 ("不去北京不行") fires.
5. Reported speech. A reported-speech cue (听说, 据说, 新闻里, 有人说, 以前有人, 比如 …, and
   somebody else followed by what they said: "有业主在群里说", "其他村民讲") before the
   candidate in the same sentence means somebody else said or did it, unless a later clause of
   that sentence, up to the candidate's, turns back to the petitioner: it starts with 我 / 我们 /
   本人 / 信访人 …, or is a condition (如果, 要是, 再不, 否则 …): "听说有人去北京上访解决了，
   如果不解决我也去北京" fires.
6. The past. What happened before is a fact of the file (the skip-level rules count it), not a
   threat: a past time or a near miss before the candidate in its clause (去年, 上次, 曾经, 差点 …),
   or 过 or a death right after it ("去年去省里反映过", "到北京上访过", "喝农药走了").
7. Quotations. Text in 《》 is a title and never fires, nor does a term quoted on its own (a word
   named: "“跳楼”这种话"). Text in “”「」‘’『』 fires only if it is the petitioner's: a quotation
   introduced by another speaker ("他说‘要去北京’", "村干部讲：“…”") or followed by one ("“…”，
   有人说") does not. A record written by a clerk about the petitioner in
   the third person (信访人, 来访人 …) uses 他 / 她 for the petitioner, so in such a text 他说 / 她说
   are the petitioner's words and are neither a reported-speech cue nor another speaker.

Everything here is pure: the lexicon is handed in (`Lexicon.from_config`, cached per configuration),
no model is read. A petition without any lexicon word costs one pass of the lexicon (some 40 µs for
a hundred characters); one of a thousand characters with a threat, about half a millisecond.
"""

import json
import re
from dataclasses import dataclass
from functools import lru_cache

SENTENCE_END = "。！？!?；;\n"
CLAUSE_END = "，,：:"
QUOTE_PAIRS = {"“": "”", "「": "」", "‘": "’", "『": "』", '"': '"', "《": "》"}
TITLE_OPEN = "《"

# Masked before negation cues are looked for: they affirm rather than deny, or deny something else.
DOUBLE_NEGATIONS = (
    "不得不",
    "不能不",
    "不会不",
    "不可能不",
    "不是不",
    "没有不",
    "不得已",
    "迫不得已",
    "逼不得已",
    "不会善罢甘休",
    "不会就此罢休",
    "不会罢休",
    "不罢休",
    "不会放过",
    "不放过",
    "不会妥协",
    "不妥协",
    "不达目的",
    "不惜",
    "不顾一切",
    "不管三七二十一",
    "不怕",
    # 不 in words that deny nothing the petitioner intends.
    "大不了",
    "不如",
    "要不然",
    "不然",
    "不管",
    "不论",
    "不停",
    "不断",
    "不少",
    "不止",
    "不仅",
    "不光",
)
_DOUBLE_NEGATION = re.compile("|".join(sorted(map(re.escape, DOUBLE_NEGATIONS), key=len, reverse=True)))
# A candidate right before these is insisted on, whatever came before it.
_EMPHATIC_AFTER = re.compile(r"^[^，,。！？；]{0,3}?(不行|不可|不罢休|没完|到底)")
# What happened before is a fact of the file, not a threat: a time in the past (or a near miss)
# before the candidate in its clause ("去年去省里反映过", "那天差点跳楼"), or 过, or a death, right
# after it ("喝农药走了").
_PAST_BEFORE = re.compile(
    r"去年|前年|上个?月|上次|上回|那次|那天|那年|当年|早些年|前些年|以前|之前|曾经|曾|差点|差一点|险些"
)
_PAST_AFTER = re.compile(
    r"^[^，,。！？；]{0,4}?过(?!分|去|来|不|年|节|日)|^.{0,2}?(走了|死了|去世|身亡|没了|被救|未遂)"
)
# Characters of a cue that make it one of intention, reaching to the end of its clause.
INTENT_CHARS = set("会再想打算准备保证承诺绝决非意至")
# What may stand between a near cue and the phrase it denies.
_GAP_WORDS = (
    "可能|准备|打算|一定|真的|轻易|随便|想过|想到|考虑|采取|做出|通过|用|以|搞|做|走|再|会|要|想|去|敢|能|"
    "是|也|还|都|真|到|过|了|的|和|或者|或|及|等等|等|这种|这样的|这样|那种|那样|这类|此类|极端|过激|"
    "违法|行为|方式|手段|方法|、|\\s|＠"
)
_GAP = re.compile(f"(?:{_GAP_WORDS})*")
# A consequence or a turn between a cue and the candidate: the cue no longer governs it.
_BREAK = re.compile(r"就|便|才|只能|只好|只有|否则|不然|那么|但|可是|然而|除非|如果|要是|假如|倘若|若")
# A clause that turns back to the petitioner after reported speech.
_RESET = re.compile(
    r"^\s*(?:(?:但是?|可是|所以|因此|而且?|并且?|现在|那么?|今天|这次|要是|如果|假如|倘若|若是?|再)\s*)*"
    r"(?:我|咱|本人|信访人|来访人|来信人|来电人|反映人|当事人)"
    r"|如果|要是|假如|倘若|再不|否则|不然"
)
_OTHERS_SAID = re.compile(
    r"(?:有|其他|别的|个别|部分|一些)(?:人|业主|村民|群众|住户|工友|家属|老乡|网友)[^，,。！？；]{0,8}?(?:说|讲|称|扬言|表示|喊)"
)
# The petitioner spoken of in the third person: a clerk's record.
_PETITIONER_THIRD_PERSON = re.compile(r"信访人|来访人|来信人|来电人|反映人|当事人|该人|申请人")
_SPEAKERS = (
    r"他们|她们|他|她|有人|别人|人家|旁人|邻居|村民|群众|对方|村干部|干部|支书|书记|主任|朋友|亲戚|同事|"
    r"网友|记者|新闻|电视|报纸|广播|网上|视频里"
)
_SPEAKERS_NOT_HE = _SPEAKERS.replace("他们|她们|他|她|", "")
_SPEECH = r"[^，。！？；“”「」]{0,6}?(?:说|讲|称|喊|表示|扬言|声称|问|道|写|报道)[过了着]?\s*[:：，,]?\s*$"
_SPEECH_AFTER = r"^\s*[，,]?\s*(?:{})(?:说|讲|称|喊|表示|道|问)"

MAX_TEXT = 100_000


@dataclass(frozen=True)
class Hit:
    """One phrase found: where it is in the text (`start`, `end`), its sentence and where that starts."""

    phrase: str
    kind: str
    start: int
    end: int
    sentence: str
    sentence_start: int

    def as_dict(self) -> dict:
        return {
            "phrase": self.phrase,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "sentence": self.sentence,
            "sentence_start": self.sentence_start,
        }


@dataclass(frozen=True, eq=False)
class Lexicon:
    """A town's lexicon, compiled. Build it with `Lexicon.from_config` (cached)."""

    terms: tuple  # ((phrase, kind), …)
    patterns: tuple  # ((compiled regex, kind), …)
    negations: tuple
    reported: tuple
    exclusions: tuple  # compiled regexes

    @classmethod
    def from_config(cls, config: dict) -> "Lexicon":
        """From the `threat` section of a town's configuration: `terms` {kind: [phrase, …]},
        `patterns` [{kind, regex}], `negations`, `reported`, `exclusions` (regexes)."""
        return _compiled(json.dumps(config or {}, ensure_ascii=False, sort_keys=True))

    def __post_init__(self):
        terms = sorted({p: k for p, k in self.terms if p}.items(), key=lambda t: len(t[0]), reverse=True)
        object.__setattr__(self, "_kind", dict(terms))
        object.__setattr__(self, "_terms", _alternation(p for p, _ in terms))
        object.__setattr__(self, "_negations", _alternation(self.negations))
        object.__setattr__(self, "_reported", _alternation(self.reported))


def _alternation(words) -> re.Pattern | None:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))) if words else None


@lru_cache(maxsize=32)
def _compiled(config_json: str) -> Lexicon:
    config = json.loads(config_json)
    return Lexicon(
        terms=tuple(
            (phrase, kind) for kind, phrases in (config.get("terms") or {}).items() for phrase in phrases
        ),
        patterns=tuple((re.compile(p["regex"]), p["kind"]) for p in config.get("patterns") or []),
        negations=tuple(config.get("negations") or ()),
        reported=tuple(config.get("reported") or ()),
        exclusions=tuple(re.compile(x) for x in config.get("exclusions") or ()),
    )


def detect_threats(text: str, lexicon: Lexicon) -> list[Hit]:
    """The threats in `text` that are the petitioner's own, in the order they appear."""
    if not text:
        return []
    text = text[:MAX_TEXT]
    found = _candidates(text, lexicon)
    if not found:
        return []  # most petitions: one pass of the lexicon and done
    clerk_record = bool(_PETITIONER_THIRD_PERSON.search(text))
    quotes = _quotes(text, clerk_record, lexicon)
    hits = []
    pending = iter(found)
    candidate = next(pending, None)
    for s_start, s_end in _sentences(text):
        candidates = []
        while candidate is not None and candidate[0] < s_end:
            start, end, kind = candidate
            if end <= s_end:  # a pattern may not reach over a sentence's end
                candidates.append((start - s_start, end - s_start, kind))
            candidate = next(pending, None)
        if not candidates:
            continue
        sentence = text[s_start:s_end]
        excluded = [m.span() for x in lexicon.exclusions for m in x.finditer(sentence)]
        masked = _masked(sentence, candidates)
        clauses = _clause_starts(sentence)
        reported = _reported_cues(sentence, lexicon, clerk_record)
        for start, end, kind in candidates:
            if any(a < end and start < b for a, b in excluded):
                continue
            if _quoted_away(s_start + start, quotes):
                continue
            if _reported(sentence, start, reported, clauses):
                continue
            if _negated(sentence, masked, start, end, clauses, lexicon):
                continue
            if _past(sentence, start, end, clauses):
                continue
            hits.append(Hit(sentence[start:end], kind, s_start + start, s_start + end, sentence, s_start))
    return hits


_SENTENCE = re.compile(f"[^{SENTENCE_END}]*(?:[{SENTENCE_END}]+|$)")
_QUOTE_OPEN = re.compile("[" + "".join(QUOTE_PAIRS) + "]")


def _sentences(text: str):
    for m in _SENTENCE.finditer(text):
        if m.group().strip():
            yield m.span()


def _candidates(text: str, lexicon: Lexicon) -> list[tuple[int, int, str]]:
    found = []
    if lexicon._terms is not None:
        found += [(m.start(), m.end(), lexicon._kind[m.group()]) for m in lexicon._terms.finditer(text)]
    for regex, kind in lexicon.patterns:
        found += [(m.start(), m.end(), kind) for m in regex.finditer(text) if m.end() > m.start()]
    found.sort(key=lambda c: (c[0], c[0] - c[1]))
    kept: list[tuple[int, int, str]] = []
    for c in found:
        if not kept or c[0] >= kept[-1][1]:
            kept.append(c)
    return kept


def _masked(sentence: str, candidates) -> str:
    """The sentence with the candidates as ＠ and the double negations as ＃ (same length)."""
    chars = list(sentence)
    for start, end, _ in candidates:
        chars[start:end] = "＠" * (end - start)
    masked = "".join(chars)
    return _DOUBLE_NEGATION.sub(lambda m: "＃" * len(m.group()), masked)


def _clause_starts(sentence: str) -> list[int]:
    return [0] + [i + 1 for i, ch in enumerate(sentence) if ch in CLAUSE_END]


def _clause_of(position: int, starts: list[int]) -> int:
    """The index of the clause a position is in."""
    index = 0
    for i, s in enumerate(starts):
        if s <= position:
            index = i
    return index


def _negated(sentence: str, masked: str, start: int, end: int, clauses: list[int], lexicon: Lexicon) -> bool:
    if lexicon._negations is None:
        return False
    if _EMPHATIC_AFTER.match(sentence[end:]):
        return False
    clause_start = clauses[_clause_of(start, clauses)]
    for cue in lexicon._negations.finditer(masked, clause_start, start):
        gap = masked[cue.end() : start]
        if _BREAK.search(gap):
            continue
        if INTENT_CHARS & set(cue.group()) or _GAP.fullmatch(gap):
            return True
    return False


def _past(sentence: str, start: int, end: int, clauses: list[int]) -> bool:
    clause_start = clauses[_clause_of(start, clauses)]
    return bool(_PAST_BEFORE.search(sentence, clause_start, start) or _PAST_AFTER.match(sentence[end:]))


def _reported_cues(sentence: str, lexicon: Lexicon, clerk_record: bool) -> list[int]:
    # Besides the town's cues: "有业主在群里说", "其他村民讲" — somebody else, then what they said.
    found = [m.start() for m in _OTHERS_SAID.finditer(sentence)]
    if lexicon._reported is not None:
        # In a clerk's record 他 / 她 is the petitioner: 他说 is what the petitioner said.
        found += [
            m.start()
            for m in lexicon._reported.finditer(sentence)
            if not (clerk_record and m.group()[0] in "他她")
        ]
    return sorted(found)


def _reported(sentence: str, start: int, cues: list[int], clauses: list[int]) -> bool:
    here = _clause_of(start, clauses)
    for cue in cues:
        if cue >= start:
            continue
        turned = any(
            _RESET.search(sentence[clauses[i] : clauses[i + 1] if i + 1 < len(clauses) else len(sentence)])
            for i in range(_clause_of(cue, clauses) + 1, here + 1)
        )
        if not turned:
            return True
    return False


def _quotes(text: str, clerk_record: bool, lexicon: Lexicon) -> list[tuple[int, int]]:
    """The spans of quotations that are not the petitioner's: titles, others' words, and a word of
    the lexicon named on its own (“跳楼”这种话), which is a mention, not a use."""
    speakers = _SPEAKERS_NOT_HE if clerk_record else _SPEAKERS
    before = re.compile(f"(?:{speakers}){_SPEECH}")
    after = re.compile(_SPEECH_AFTER.format(speakers))
    spans = []
    i = 0
    while (opening := _QUOTE_OPEN.search(text, i)) is not None:
        i = opening.start()
        close = QUOTE_PAIRS[text[i]]
        j = text.find(close, i + 1)
        if j < 0:
            break
        lead = text[max(0, i - 16) : i]
        lead = re.split(f"[{SENTENCE_END}“”「」]", lead)[-1]
        named = lexicon._terms is not None and lexicon._terms.fullmatch(text[i + 1 : j])
        if text[i] == TITLE_OPEN or named or before.search(lead) or after.match(text[j + 1 : j + 12]):
            spans.append((i, j + 1))
        i = j + 1
    return spans


def _quoted_away(position: int, quotes: list[tuple[int, int]]) -> bool:
    return any(a < position < b for a, b in quotes)
