"""DURATION rules (ANNOTATION.md, "Temporal types"): lengths of time with their qualifier.

Forms: a number or number words and a unit ("ثلاث سنوات", "48 ساعة", "خمسة وعشرين
عاما"), a dual ("عقدين"), a singular with واحد or a whole-period adjective ("عام واحد",
"عاما كاملا" → span "عاما"), fractions ("نصف ساعة", "37 عاما ونصف العام"), a smaller unit
joined by و ("دقيقة و20 ثانية"), counted stretches ("الأشهر الستة الماضية", "الشهرين
المقبلين", "آخر أسبوعين"), and a number in brackets before its unit ("(24) ساعة" → "24").
Qualifiers before (أكثر من، نحو، …) are inside the span and set bound/approx; after
("على الأقل"، "تقريبا") too. Not durations: ages (QUANTITY: "(45 عامًا)", "البالغ من العمر
30 عاما", "الفئة العمرية بين 18 و25 عاما"), the second end of a number range ("بين 65 و69
عاما"), measured averages written with decimals ("34.6 ساعة"), and words that may be
something else without a cue ("عقود" = contracts).
"""
from __future__ import annotations

from pipeline.doc import Value
from pipeline.extractors.temporal_lexicon import lexicon
from pipeline.extractors.temporal_scan import Parse, Piece, TokenView

_UNIT_ORDER = ("century", "decade", "year", "month", "week", "day", "hour", "minute", "second")


def duration_timex(amount: float, unit: str) -> str:
    """TIMEX3 duration for an amount of a unit: 37.5 years → P37Y6M, 1.5 hours → PT1H30M."""
    code, mult, is_time = lexicon().words["units"][unit]
    amount *= mult
    if amount != int(amount):
        if code == "Y" and not is_time:
            y, mo = divmod(round(amount * 12), 12)
            return "P" + (f"{y}Y" if y else "") + (f"{mo}M" if mo else "")
        if unit == "hour":
            h, mi = divmod(round(amount * 60), 60)
            return "PT" + (f"{h}H" if h else "") + (f"{mi}M" if mi else "")
        if unit == "day":
            d, h = divmod(round(amount * 24), 24)
            return "P" + (f"{d}D" if d else "") + (f"T{h}H" if h else "")
    n = int(amount) if amount == int(amount) else amount
    return ("PT" if is_time else "P") + f"{n}{code}"


def join_durations(parts: list[str]) -> str:
    """Add TIMEX3 durations written together ("دقيقة و20 ثانية" → PT1M20S)."""
    date, time = "", ""
    for p in parts:
        body = p[1:]
        if "T" in body:
            d, t = body.split("T", 1)
            date, time = date + d, time + t
        else:
            date += body
    return "P" + date + ("T" + time if time else "")


class DurationRules(TokenView):
    """The DURATION grammar; dates.py's parser builds on it."""

    def p_duration(self, i: int, clitic: bool) -> Parse | None:
        """A duration starting at token i, with its qualifier (an age → an empty Parse
        that still consumes the tokens, so no date is read inside it)."""
        q = self.hit(i, "qual", clitic)
        j, skip = (q.end, q.skip) if q else (i, 0)
        bound = q.value if q and q.value != "approx" else None
        approx = True if q and q.value == "approx" else None
        pre = self.hit(j, "dur_pre", clitic and q is None)  # "آخر أسبوعين" (inside)
        if pre is not None:
            j, skip = pre.end, (skip if q else pre.skip)
        core_clitic = False
        if q is None and pre is None and clitic:
            # "وثلاث سنوات": the core's first word may carry the proclitic
            plain = self.read_count(i) or self.hit(i, "unit") or self.hit(i, "frac_before")
            if not plain:
                c = self.read_count(i, True)
                h = self.hit(i, "unit", True) or self.hit(i, "frac_before", True)
                if c or h:
                    skip, core_clitic = (c[2] if c else h.skip), True
        core = self._duration_core(j, qualified=q is not None or pre is not None, clitic=core_clitic)
        if core is None:
            return None
        amount, unit, end, span_end, extra, span_start = core
        if unit in ("year", "month") and self._is_age(i, span_start, end):
            return Parse(end, [])
        written = self._num_value(span_start)
        if self._number_range_end(span_start) or (written is not None and written * 2 != int(written * 2)):
            # "بين 65 و69 عاما", "34.6 ساعة": ranges and measured averages are quantities
            return Parse(end, [])
        qa = self.hit(end, "qual_after")
        if qa is not None and self._same_line(i, end):
            if qa.form == "فاكثر":  # "65 عاما فأكثر": an age bound
                return Parse(qa.end, [])
            if qa.value == "approx":
                approx = True
            else:
                bound = qa.value
            end = span_end = qa.end
        tmx = duration_timex(amount, unit)
        if extra:
            tmx = join_durations([tmx] + extra)
        value = Value(timex=tmx, bound=bound, approx=approx)
        if q is not None or pre is not None:
            span_start = i
        return Parse(end, [Piece(span_start, span_end, skip if span_start == i else 0, "DURATION", value=value)])

    def _is_age(self, i: int, start: int, end: int) -> bool:
        """An age ("(45 عامًا)", "البالغ من العمر 45 عاما", "الفئة العمرية بين 18 و25 عاما")."""
        k, seen = i - 1, 0
        while k >= 0 and seen < 8 and self.toks[k].kind != "nl" and not self._punct(k, ".،,؛:"):
            if self.toks[k].kind == "word" and self._in(self.toks[k].text, "age_cues_before"):
                return True
            k, seen = k - 1, seen + 1
        if self._in(self._prev_word(start), "age_nouns_before"):
            return True
        if self._punct(start - 1, "(") and self._punct(end, ")"):
            return True
        after = [self.toks[k].text for k in range(end, min(end + 2, self.n))]
        return any(" ".join(after[:len(a.split())]) == a for a in self.W["age_cues_after"])

    def _number_range_end(self, k: int) -> bool:
        """Is the number at k the second end of a number range ("بين 65 و69", "من 35 إلى 39")?"""
        if self._is(k - 1, "و", "الي", "حتي") and self._int(k - 2) is not None:
            return True
        return self._punct(k - 1, "-–") and self._int(k - 2) is not None

    def _duration_core(self, j: int, qualified: bool, clitic: bool = False):
        """(amount, unit, end, span_end, extra timexes, span_start) or None; ``clitic``
        lets the first word carry a proclitic ("وثلاث سنوات")."""
        if j >= self.n:
            return None
        # "(24) ساعة": the number alone is the span
        if self._punct(j, "(") and (n := self._num_value(j + 1)) is not None and self._punct(j + 2, ")") \
                and (u := self.hit(j + 3, "unit")) and u.value[1] in ("plural", "singular"):
            if u.value[0] in ("year", "month"):
                return None  # "(11 عامًا)"-style brackets hold ages
            return n, u.value[0], u.end, j + 2, [], j + 1
        n = self._num_value(j)
        if n is not None:
            u = self.hit(j + 1, "unit")
            if u is None or u.value[1] not in ("plural", "singular") or not self._same_line(j, j + 1):
                return None
            return self._duration_rest(n, u.value[0], u.end, j, qualified)
        c = self.read_count(j, clitic)
        if c is not None and not c[3]:
            u = self.hit(c[1], "unit")
            if u is None or u.value[1] not in ("plural", "singular"):
                return None
            return self._duration_rest(c[0], u.value[0], u.end, j, qualified)
        fb = self.hit(j, "frac_before", clitic)
        if fb is not None:
            u = self.hit(fb.end, "unit")
            if u is not None and u.value[1] == "singular":
                return fb.value, u.value[0], u.end, u.end, [], j
            return None
        u = self.hit(j, "unit", clitic)
        if u is not None:
            return self._unit_first(j, u, qualified)
        # "الـ24 ساعة الماضية", "الثلاثة أيام الماضية"
        n, k = None, j
        if c is not None and c[3]:
            n, k = c[0], c[1]
        elif self._is(j, "ال") and (n := self._num_value(j + 1)) is not None:
            k = j + 2
        if n is not None and (u := self.hit(k, "unit")) and u.value[1] in ("plural", "singular"):
            r = self.hit(u.end, "dur_rel")
            if r is not None:
                return n, u.value[0], r.end, r.end, [], j
        return None

    def _unit_first(self, j: int, u, qualified: bool):
        """A duration that starts with its unit word: a dual, a singular, a definite plural."""
        unit, form = u.value
        if form == "dual":
            if unit == "decade" and not (qualified or self._duration_cue(j)):
                return None  # "عقدين" may be two contracts
            return self._duration_rest(2, unit, u.end, j, qualified)
        k = u.end
        if form == "singular":
            if self._int(k) is not None or self._punct(k, "("):
                return None  # "خلال عام 2013": a calendar word
            if (one := self.hit(k, "one")) is not None:
                return 1, unit, one.end, one.end, [], j
            if (whole := self.hit(k, "whole")) is not None:
                return 1, unit, whole.end, k, [], j
            if (fa := self.hit(k, "frac_after")) is not None:
                return 1 + fa.value, unit, fa.end, fa.end, [], j
            if (extra := self._extra_part(k, unit)) is not None:
                return 1, unit, extra[1], extra[1], [extra[0]], j
            if qualified or (self._duration_cue(j) and unit != "decade") or self._min_zaman(k):
                return 1, unit, (k + 2 if self._min_zaman(k) else k), k, [], j
            return None
        if form == "definite_dual":
            r = self.hit(k, "dur_rel")
            return None if r is None else (2, unit, r.end, r.end, [], j)
        if form == "definite_plural":
            c = self.read_count(k)
            n, bare = None, False
            if c is not None:
                n, k = c[0], c[1]
            elif self._is(k, "ال") and (n := self._num_value(k + 1)) is not None:
                k += 2
            elif (n := self._num_value(k)) is not None:
                k, bare = k + 1, True
            if n is None:
                return None
            r = self.hit(k, "dur_rel")
            if r is not None:
                k = r.end
            elif bare:
                return None  # "في الدقائق 29 و34": minute marks, not a length
            return n, unit, k, k, [], j
        return None

    def _duration_rest(self, n, unit, k, start, qualified):
        if unit == "decade" and not (qualified or self._duration_cue(start) or self._min_zaman(k)):
            return None
        if self._int(k) is not None:
            return None  # "مقابل 67.9 مليوناً عام 2013": the unit word is a calendar word
        fa = self.hit(k, "frac_after")
        if fa is not None:
            return n + fa.value, unit, fa.end, fa.end, [], start
        extra = self._extra_part(k, unit)
        if extra is not None:
            return n, unit, extra[1], extra[1], [extra[0]], start
        return n, unit, k, k, [], start

    def _extra_part(self, k: int, unit: str):
        """"و20 ثانية" after "دقيقة": a smaller unit joined by و → (timex, end)."""
        if not self._is(k, "و") or (n := self._num_value(k + 1)) is None:
            return None
        u = self.hit(k + 2, "unit")
        if u is None or _UNIT_ORDER.index(u.value[0]) <= _UNIT_ORDER.index(unit):
            return None
        return duration_timex(n, u.value[0]), u.end

    def _duration_cue(self, i: int) -> bool:
        return self._in(self._prev_word(i), "duration_cues_before")

    def _min_zaman(self, k: int) -> bool:
        """"عقد من الزمن": the words that make عقد a decade."""
        return self._is(k, "من") and self._is(k + 1, "الزمن")
