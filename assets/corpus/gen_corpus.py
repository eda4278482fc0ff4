#!/usr/bin/env python3
"""Generate assets/corpus/en.txt and zh.txt: small toy-grammar corpora for
the tiny language models of attnviz (issue 9).

Developer tool, not run by the build or CI.  Standard library only.  The
output is a pure function of SEED and the tables below: running it twice
gives byte-identical files (random.Random with an integer seed is stable
across Python 3 versions; no set or hash order is ever used for output).

    python3 assets/corpus/gen_corpus.py            # writes en.txt, zh.txt
    python3 assets/corpus/gen_corpus.py --check    # regenerate in memory, compare, report

The grammar is described in README.md next to this file.  Every sentence is
unique (so the held-out lines never occur in the training lines), the
default sentence of each language is line 1, lines 2-9 show each
construction once, and the order of the other lines is random, so that any evenly spaced held-out split is a fair sample
of every construction.
"""

import os
import random
import sys
import unicodedata

SEED = 685          # the course number, as the random weights of attnviz
N_LINES = 2500      # sentences per language
MAX_TOKENS = 16     # as counted by src/core/tokenize.c

EN_DEFAULT = "the cat sat on the mat"
ZH_DEFAULT = "猫坐在垫子上。"

# Lines 2..9: one sentence of each construction, the ones a lecturer types
# (so they are training lines under the every-10th-line split). Each is one
# the grammar below produces: --check verifies it.
EN_SHOWCASE = [
    "the cats near the door sit on the mat",
    "the cat near the doors sits on the mat",
    "anna gave bob the book and bob thanked anna",
    "the cat that the dogs saw sleeps on the bed",
    "the girl near the boys saw herself in the mirror",
    "a dog found an old ball and the dog took the ball",
    "tom gave mary a book and she thanked him",
    "lily was tired so she slept on the bed",
]
ZH_SHOWCASE = [
    "那只猫旁边的两只狗都很饿。",
    "两只狗旁边的那只猫很饿。",
    "小明给小红一本书，小红谢谢小明。",
    "小明给小红一本书，她很高兴。",
    "小明有一本很旧的书。",
    "小明看见两只猫，那两只猫都很饿。",
    "小丽看见了小刚，小刚也看见了她。",
    "小红很累，她躺在床上。",
]

# ----------------------------------------------------------------------------
# English
# ----------------------------------------------------------------------------

# Animate nouns: singular, plural, reflexive of the singular, subject pronoun
# of the singular, kind (animal or person: where and how they can be).
EN_ANIMATE = [
    ("cat", "cats", "itself", "it", "animal"),
    ("dog", "dogs", "itself", "it", "animal"),
    ("bird", "birds", "itself", "it", "animal"),
    ("boy", "boys", "himself", "he", "person"),
    ("girl", "girls", "herself", "she", "person"),
]
# Place nouns: singular, plural.
EN_PLACE = {"mat": "mats", "bed": "beds", "chair": "chairs", "table": "tables", "box": "boxes",
            "tree": "trees", "door": "doors", "window": "windows"}
# Where each kind does each thing (intransitive verb, by its plural form).
# Animals may be anywhere; people are not put in boxes or on tables.
_ANY = ["on the mat", "on the bed", "on the chair", "on the table", "in the box",
        "under the table", "under the tree", "near the door", "by the door",
        "near the window", "by the window"]
_SIDE = ["near the door", "by the door", "near the window", "by the window", "under the tree"]
EN_WHERE = {
    "animal": {"sit": _ANY, "sleep": _ANY, "wait": _ANY, "stand": _ANY, "play": _ANY},
    "person": {
        "sit": ["on the mat", "on the bed", "on the chair", "under the tree", "by the window"],
        "sleep": ["on the bed", "on the mat", "under the tree"],
        "wait": _SIDE,
        "stand": _SIDE,
        "play": ["on the mat", "under the table"] + _SIDE,
    },
}
# Things that are given, found, taken.
EN_THING = ["book", "ball", "apple", "cup", "hat"]
# Intransitive verbs: 3rd singular present, plural present, past.
EN_INTRANS = [
    ("sits", "sit", "sat"),
    ("sleeps", "sleep", "slept"),
    ("waits", "wait", "waited"),
    ("stands", "stand", "stood"),
    ("plays", "play", "played"),
]
EN_ATTR_ADJ = {"animal": ["big", "small", "old", "black", "white"], "person": ["big", "small"]}
EN_PRED_ADJ = {"animal": ["tired", "happy", "hungry", "big", "small", "old"],
               "person": ["tired", "happy", "hungry"]}
EN_ATTRACT_PREP = ["near", "by", "behind", "with"]        # "the cat near the doors"
# Names: (name, subject pronoun, object pronoun, reflexive).
EN_NAMES = [
    ("anna", "she", "her", "herself"),
    ("mary", "she", "her", "herself"),
    ("lily", "she", "her", "herself"),
    ("bob", "he", "him", "himself"),
    ("tom", "he", "him", "himself"),
    ("sam", "he", "him", "himself"),
]
EN_SEE = ["saw", "liked", "found", "watched"]          # animate object, past
EN_FIRST = ["found", "saw"]                            # thing object: first this ...
EN_THEN = ["took", "dropped", "liked"]                 # ... then this
# A state, then what one does in it: tired -> sleeps, happy -> plays.
EN_STATE_VERB = {"tired": ["sit", "sleep"], "hungry": ["wait"], "happy": ["play"]}


def article(word):
    """'an' before a vowel sound (every word here that starts with a vowel
    letter starts with a vowel sound), else 'a'."""
    return "an" if word[0] in "aeiou" else "a"


def en_np(r, plural, definite=None, adj_p=0.3, entry=None, unlike=None):
    """A noun phrase headed by an animate noun (not the noun of unlike).
    Returns (words, entry)."""
    if entry is None:
        entry = r.choice([e for e in EN_ANIMATE if e is not unlike])
    noun = entry[1] if plural else entry[0]
    adj = [r.choice(EN_ATTR_ADJ[entry[4]])] if r.random() < adj_p else []
    if plural:
        det = "the" if definite or (definite is None and r.random() < 0.6) else \
            r.choice(["two", "three", "some"])
        return [det] + adj + [noun], entry
    if definite or (definite is None and r.random() < 0.7):
        det = "the"
    else:
        det = article((adj + [noun])[0])
    return [det] + adj + [noun], entry


def en_verb_place(r, entry, form):
    """An intransitive verb (form 0: sits, 1: sit, 2: sat) and a place that
    fits the kind of subject."""
    v = r.choice(EN_INTRANS)
    return [v[form]] + r.choice(EN_WHERE[entry[4]][v[1]]).split()


def en_simple(r):
    """the cat sat on the mat / two dogs sleep under the table."""
    plural = r.random() < 0.45
    np, entry = en_np(r, plural)
    form = 2 if r.random() < 0.4 else (1 if plural else 0)
    return np + en_verb_place(r, entry, form)


def en_attractor_np(r, plural):
    """Head noun + a prepositional phrase whose noun has the other number
    (most of the time): the agreement must skip it."""
    np, entry = en_np(r, plural, definite=True, adj_p=0.2)
    other = not plural if r.random() < 0.75 else plural
    if r.random() < 0.5:
        att, _ = en_np(r, other, definite=True, adj_p=0.0, unlike=entry)
        pp = [r.choice(EN_ATTRACT_PREP)] + att
    else:
        prep = r.choice(["near", "by", "behind"])
        # nothing is behind a mat or a bed (they lie on the floor or by a wall)
        noun = r.choice([n for n in EN_PLACE if prep != "behind" or n not in ("mat", "bed")])
        pp = [prep, "the", EN_PLACE[noun] if other else noun]
    return np + pp, entry


def en_agreement(r):
    """the cats near the door sit on the mat / the cat near the doors is tired."""
    plural = r.random() < 0.5
    subj, entry = en_attractor_np(r, plural)
    if r.random() < 0.6:
        return subj + en_verb_place(r, entry, 1 if plural else 0)
    if r.random() < 0.7:
        cop = "are" if plural else "is"
    else:
        cop = "were" if plural else "was"
    return subj + [cop, r.choice(EN_PRED_ADJ[entry[4]])]


def en_relative(r):
    """the cat that the dogs saw sleeps on the mat (object relative)."""
    plural = r.random() < 0.5
    head, entry = en_np(r, plural, definite=True, adj_p=0.0)
    inner, _ = en_np(r, not plural if r.random() < 0.75 else plural, definite=True, adj_p=0.0,
                     unlike=entry)
    return head + ["that"] + inner + [r.choice(EN_SEE)] + en_verb_place(r, entry, 1 if plural else 0)


def en_reflexive(r):
    """the girl near the boys saw herself in the window / tom saw himself."""
    if r.random() < 0.2:
        name = r.choice(EN_NAMES)
        subj, refl = [name[0]], name[3]
    else:
        plural = r.random() < 0.4
        if r.random() < 0.5:
            subj, entry = en_attractor_np(r, plural)
        else:
            subj, entry = en_np(r, plural, definite=True)
        refl = "themselves" if plural else entry[2]
    return subj + [r.choice(["saw", "watched"]), refl, "in", "the", r.choice(["window", "mirror"])]


def en_names(r):
    """Two names; a later word refers back to one of them."""
    a, b = r.sample(EN_NAMES, 2)
    thing = r.choice(EN_THING)
    kind = r.random()
    if kind < 0.45:
        # anna gave bob the book and bob thanked anna / ... and he thanked her
        det = "the" if r.random() < 0.5 else article(thing)
        first = [a[0], "gave", b[0], det, thing, "and"]
        if a[1] != b[1] and r.random() < 0.5:
            return first + [b[1], "thanked", a[2]]   # pronouns only when unambiguous
        return first + [b[0], "thanked", a[0]]
    if kind < 0.7:
        # anna showed tom a ball and tom took the ball
        return [a[0], "showed", b[0], article(thing), thing, "and",
                b[0], r.choice(EN_THEN), "the", thing]
    if kind < 0.85:
        # tom helped lily and then lily helped tom
        v = r.choice(["helped", "called", "saw", "thanked"])
        return [a[0], v, b[0], "and", "then", b[0], v, a[0]]
    # anna and bob sat under the tree
    return [a[0], "and", b[0]] + en_verb_place(r, EN_ANIMATE[3], 2)


def en_mention(r):
    """a dog found a ball and the dog took the ball: first mention
    indefinite, second mention definite, same nouns."""
    animal = r.choice(EN_ANIMATE)
    thing = r.choice(EN_THING)
    adj = [r.choice(["big", "small", "old"])] if r.random() < 0.5 else []
    return [article(animal[0]), animal[0], r.choice(EN_FIRST), article((adj + [thing])[0])] + adj + [thing, "and",
            "the", animal[0], r.choice(EN_THEN), "the", thing]


def en_pronoun(r):
    """anna was tired so she slept on the bed / the cats were happy so they played ..."""
    adj = r.choice(list(EN_STATE_VERB))
    verb = r.choice(EN_STATE_VERB[adj])
    v = next(x for x in EN_INTRANS if x[1] == verb)
    if r.random() < 0.5:
        name = r.choice(EN_NAMES)
        return [name[0], "was", adj, "so", name[1], v[2]] + \
            r.choice(EN_WHERE["person"][verb]).split()
    plural = r.random() < 0.4
    np, entry = en_np(r, plural, definite=True)
    return np + ["were" if plural else "was", adj, "so", "they" if plural else entry[3], v[2]] + \
        r.choice(EN_WHERE[entry[4]][verb]).split()


EN_RULES = [  # (weight, generator)
    (22, en_simple),
    (24, en_agreement),
    (8, en_relative),
    (8, en_reflexive),
    (18, en_names),
    (10, en_mention),
    (10, en_pronoun),
]

# ----------------------------------------------------------------------------
# Chinese (每个汉字是一个 token; 标点也是)
# ----------------------------------------------------------------------------

# Animate nouns: noun, classifier, third-person pronoun, kind (for places).
ZH_ANIMATE = [
    ("猫", "只", "它", "pet"),
    ("狗", "只", "它", "pet"),
    ("兔子", "只", "它", "pet"),
    ("鸟", "只", "它", "bird"),
    ("孩子", "个", "他", "person"),
    ("老师", "位", "他", "person"),
]
# Names: (name, pronoun). 小明/小刚/小军 boys, 小红/小丽/小芳 girls, as in textbooks.
ZH_NAMES = [("小明", "他"), ("小刚", "他"), ("小军", "他"), ("小红", "她"), ("小丽", "她"),
            ("小芳", "她")]
# Places, by who can be there, and with which verbs (坐/躺/睡/站 + 在).
ZH_PLACES = {
    "pet": ["垫子上", "桌子上", "桌子下面", "椅子上", "床上", "盒子里", "树下", "门旁边",
            "窗户旁边", "房间里"],
    "bird": ["树上", "桌子上", "盒子里", "窗户旁边"],
    "person": ["椅子上", "床上", "垫子上", "树下", "门旁边", "窗户旁边", "房间里"],
}
ZH_VERBS = {"pet": ["坐", "躺", "睡"], "bird": ["站", "睡"], "person": ["坐", "躺", "站"]}
ZH_STAND_OK = ["门旁边", "窗户旁边", "树下", "桌子上", "树上", "房间里"]  # 站在 where natural
ZH_LIE_OK_PERSON = ["床上", "垫子上", "树下"]                        # 躺在 for people
# Things: noun, classifier, adjectives that fit (after 很, before 的).
ZH_THINGS = [
    ("书", "本", ["新", "旧", "大", "小"]),
    ("信", "封", ["长"]),
    ("花", "朵", ["大", "小"]),
    ("笔", "支", ["新", "旧", "长"]),
    ("苹果", "个", ["大", "小"]),
    ("杯子", "个", ["新", "旧", "大", "小"]),
    ("球", "个", ["新", "旧", "大", "小"]),
]
ZH_STATES = ["很累", "很饿", "在睡觉", "在玩"]   # predicates of animates
ZH_NUM = ["两", "三"]                             # 两只, never 二只


def zh_animate_np(r, plural, demonstrative=True, animal=None):
    """那只猫 / 两只狗 / 猫 (bare, generic or known)."""
    a = animal if animal is not None else r.choice(ZH_ANIMATE)
    if plural:
        return r.choice(ZH_NUM) + a[1] + a[0], a
    if demonstrative or r.random() < 0.6:
        return r.choice(["这", "那"]) + a[1] + a[0], a
    return a[0], a


def zh_place_verb(r, kind, allow=None):
    """A verb + 在 + place that fit together for this kind of subject (and
    whose verb is in allow, when given)."""
    while True:
        place = r.choice(ZH_PLACES[kind])
        verbs = list(ZH_VERBS[kind])
        if kind == "person" and place not in ZH_LIE_OK_PERSON:
            verbs.remove("躺")
        if "站" in verbs and place not in ZH_STAND_OK:
            verbs.remove("站")
        if allow is not None:
            verbs = [v for v in verbs if v in allow]
        if verbs:
            return r.choice(verbs) + "在" + place


def zh_simple(r):
    """猫坐在垫子上。/ 两只狗都睡在床上。/ 小明和小红都坐在树下。
    都 marks every plural subject: the Mandarin counterpart of agreement."""
    k = r.random()
    if k < 0.2:
        a, b = r.sample(ZH_NAMES, 2)
        return a[0] + "和" + b[0] + "都" + zh_place_verb(r, "person") + "。"
    if k < 0.35:
        name = r.choice(ZH_NAMES)
        return name[0] + zh_place_verb(r, "person") + "。"
    plural = r.random() < 0.4
    np, a = zh_animate_np(r, plural, demonstrative=False)
    return np + ("都" if plural else "") + zh_place_verb(r, a[3]) + "。"


def zh_attractor(r):
    """门旁边的两只猫都很饿。/ 那只狗旁边的两只猫都在睡觉。/ 两只狗旁边的那只猫很累。
    The 的-phrase holds a noun of the other number; 都 follows the head."""
    plural = r.random() < 0.5
    head, a = zh_animate_np(r, plural)
    if r.random() < 0.55:
        other = not plural if r.random() < 0.8 else plural
        mod, _ = zh_animate_np(r, other, animal=r.choice([x for x in ZH_ANIMATE if x is not a]))
        mod += "旁边"
    else:
        mod = r.choice(ZH_PLACES["pet"])
    return mod + "的" + head + ("都" if plural else "") + r.choice(ZH_STATES) + "。"


def zh_classifier(r):
    """小明有一本很旧的书。/ 桌子上有两个很大的苹果。
    The classifier agrees with the noun across 很+adjective+的."""
    t = r.choice(ZH_THINGS)
    num = "一" if r.random() < 0.6 else r.choice(ZH_NUM)
    obj = num + t[1] + ("很" + r.choice(t[2]) + "的" if r.random() < 0.7 else "") + t[0]
    if r.random() < 0.5:
        return r.choice(ZH_PLACES["pet"][:6]) + "有" + obj + "。"
    name = r.choice(ZH_NAMES)
    verbs = ["有", "拿着", "找到了"] + (["买了"] if t[0] != "信" else [])  # one doesn't buy letters
    return name[0] + r.choice(verbs) + obj + "。"


def zh_names(r):
    """小明给小红一本书，小红谢谢小明。/ 小明给小红一本书，她很高兴。
    A pronoun only where 他/她 is unambiguous; otherwise the name again."""
    a, b = r.sample(ZH_NAMES, 2)
    k = r.random()
    if k < 0.5:
        t = r.choice(ZH_THINGS)
        first = a[0] + "给" + b[0] + "一" + t[1] + t[0] + "，"
        if a[1] != b[1] and r.random() < 0.5:
            return first + b[1] + "很高兴。"
        if len(t[0]) > 1:   # 苹果, 杯子: the name again would pass 16 tokens
            return first + b[0] + "谢谢" + a[1] + "。"
        return first + b[0] + "谢谢" + a[0] + "。"
    if k < 0.75:
        # The object pronoun cannot be the local subject (binding principle B),
        # so 她 in 小刚也看见了她 is 小丽 even when both are girls.
        if r.random() < 0.5:
            return a[0] + "看见了" + b[0] + "，" + b[0] + "也看见了" + a[1] + "。"
        return a[0] + "看见" + b[0] + "，" + b[0] + "也看见" + a[0] + "。"
    return a[0] + "帮了" + b[0] + "，" + b[0] + "对" + a[0] + "说谢谢。"


def zh_mention(r):
    """小明看见一只猫，那只猫在睡觉。/ 小红找到一本书，那本书很旧。
    First mention 一+classifier, second mention 那+the same classifier."""
    name = r.choice(ZH_NAMES)
    if r.random() < 0.5:
        a = r.choice(ZH_ANIMATE[:4])
        if r.random() < 0.3 and len(a[0]) == 1:   # 看见两只猫，那两只猫都很累 (16 tokens)
            num = r.choice(ZH_NUM)
            states = ["很累", "很饿", "在玩"]
            return (name[0] + "看见" + num + a[1] + a[0] + "，那" + num + a[1] + a[0] +
                    "都" + r.choice(states) + "。")
        states = ZH_STATES if len(a[0]) == 1 else ["很累", "很饿"]
        return (name[0] + "看见一" + a[1] + a[0] + "，那" + a[1] + a[0] +
                r.choice(states) + "。")
    t = r.choice(ZH_THINGS)
    return (name[0] + r.choice(["看见", "找到"]) + "一" + t[1] + t[0] + "，那" + t[1] + t[0] +
            "很" + r.choice(t[2]) + "。")


def zh_pronoun(r):
    """小红很累，她躺在床上。/ 那只猫很累，它睡在垫子上。/ 小明和小丽很累，他们都睡了。"""
    adj = r.choice(["很累", "很饿", "很高兴"])
    # what one does in that state: tired people lie down, others sit or stand
    allow = ["躺", "睡", "坐"] if adj == "很累" else ["坐", "站"]
    k = r.random()
    if k < 0.45:
        name = r.choice(ZH_NAMES)
        return name[0] + adj + "，" + name[1] + zh_place_verb(r, "person", allow) + "。"
    if k < 0.6:
        a, b = r.sample(ZH_NAMES, 2)
        pron = "她们" if a[1] == b[1] == "她" else "他们"
        then = ["睡了", "坐下了"] if adj == "很累" else ["走了", "坐下了"]
        return a[0] + "和" + b[0] + adj + "，" + pron + "都" + r.choice(then) + "。"
    np, a = zh_animate_np(r, False, demonstrative=True)
    return np + adj + "，" + a[2] + zh_place_verb(r, a[3], allow) + "。"


ZH_RULES = [
    (24, zh_simple),
    (20, zh_attractor),
    (16, zh_classifier),
    (16, zh_names),
    (12, zh_mention),
    (12, zh_pronoun),
]

# ----------------------------------------------------------------------------
# Tokens, as src/core/tokenize.c counts them (enough of it for this corpus).
# ----------------------------------------------------------------------------


def tokens(line):
    out, cur = [], ""
    for ch in line:
        cp = ord(ch)
        if ch.isspace():
            if cur:
                out.append(cur)
            cur = ""
        elif (0x4E00 <= cp <= 0x9FFF) or unicodedata.category(ch).startswith("P"):
            if cur:
                out.append(cur)
            out.append(ch)
            cur = ""
        else:
            cur += ch.lower() if ch.isascii() else ch
    if cur:
        out.append(cur)
    return out


def generate(rules, default, showcase, join, seed):
    r = random.Random(seed)
    weights = [w for w, _ in rules]
    fns = [f for _, f in rules]
    lines = [default] + showcase
    seen = set(lines)
    kinds = {}
    tries = 0
    while len(lines) < N_LINES:
        tries += 1
        if tries > 200 * N_LINES:
            raise SystemExit("gen_corpus: the grammar gives too few distinct sentences")
        fn = r.choices(fns, weights)[0]
        s = join(fn(r))
        if s in seen:
            continue
        seen.add(s)
        lines.append(s)
        kinds[fn.__name__] = kinds.get(fn.__name__, 0) + 1
    generate.kinds[default] = kinds
    return lines


generate.kinds = {}  # default sentence -> {construction: lines}, for --check


def check(lines, name):
    for i, s in enumerate(lines, 1):
        n = len(tokens(s))
        if n > MAX_TOKENS:
            raise SystemExit(f"gen_corpus: {name} line {i} has {n} tokens (max {MAX_TOKENS}): {s}")
        if any(unicodedata.category(c) == "Cc" for c in s) or s != s.strip():
            raise SystemExit(f"gen_corpus: {name} line {i} has a control or edge space")


def held_out(i, frac=0.1):
    """The split suggested in README.md: 1-based line i is held out when
    floor(i*frac) > floor((i-1)*frac); frac 0.1 holds out lines 10, 20, ..."""
    return int(i * frac) > int((i - 1) * frac)


def stats(lines, name, baselines=False):
    vocab = {}
    lens = []
    for s in lines:
        t = tokens(s)
        lens.append(len(t))
        for w in t:
            vocab[w] = vocab.get(w, 0) + 1
    held = sum(1 for i in range(1, len(lines) + 1) if held_out(i))
    print(f"{name}: {len(lines)} lines ({len(lines) - held} train, {held} held out), "
          f"{len(vocab)} token types, tokens per line {min(lens)}..{max(lens)} "
          f"(mean {sum(lens) / len(lens):.1f}), {sum(lens)} tokens")
    if baselines:
        # Next-token accuracy on the held-out lines (positions 2..n) of the
        # most frequent training token, and of the most frequent successor.
        uni, bi = {}, {}
        for i, s in enumerate(lines, 1):
            if held_out(i):
                continue
            t = tokens(s)
            for a, b in zip(t, t[1:]):
                uni[b] = uni.get(b, 0) + 1
                bi.setdefault(a, {})
                bi[a][b] = bi[a].get(b, 0) + 1
        top = max(sorted(uni), key=lambda w: uni[w])
        best = {a: max(sorted(d), key=lambda w: d[w]) for a, d in bi.items()}
        n = u = b2 = 0
        for i, s in enumerate(lines, 1):
            if not held_out(i):
                continue
            t = tokens(s)
            for a, b in zip(t, t[1:]):
                n += 1
                u += b == top
                b2 += best.get(a) == b
        print(f"  held-out next-token accuracy: unigram {u / n:.3f}, bigram {b2 / n:.3f} "
              f"({n} predictions)")
    return vocab


def reachable(rules, wanted, join, samples=3000000):
    """The sentences of wanted that the grammar does not produce in that many
    samples (each construction is sampled equally often)."""
    r = random.Random(1)
    missing = set(wanted)
    for k in range(samples):
        missing.discard(join(rules[k % len(rules)][1](r)))
        if not missing:
            break
    return sorted(missing)


def build():
    en = generate(EN_RULES, EN_DEFAULT, EN_SHOWCASE, " ".join, SEED)
    zh = generate(ZH_RULES, ZH_DEFAULT, ZH_SHOWCASE, lambda s: s, SEED)
    check(en, "en.txt")
    check(zh, "zh.txt")
    return {"en.txt": en, "zh.txt": zh}


USAGE = "usage: gen_corpus.py [--check [-v]]   (no option: rewrite en.txt and zh.txt)"


def main(argv):
    unknown = [a for a in argv if a not in ("--check", "-v")]
    if unknown or ("-v" in argv and "--check" not in argv):
        print(f"gen_corpus.py: {(unknown or ['-v'])[0]!r} is not an option here; {USAGE}",
              file=sys.stderr)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    out = build()
    if "--check" in argv:
        bad = 0
        for rules, wanted, join in ((EN_RULES, [EN_DEFAULT] + EN_SHOWCASE, " ".join),
                                    (ZH_RULES, [ZH_DEFAULT] + ZH_SHOWCASE, lambda s: s)):
            for s in reachable(rules, wanted, join):
                print(f"not produced by the grammar: {s}")
                bad += 1
        for name, lines in out.items():
            path = os.path.join(here, name)
            with open(path, "rb") as f:
                same = f.read() == ("\n".join(lines) + "\n").encode("utf-8")
            print(f"{name}: {'identical to' if same else 'DIFFERS from'} the generator output")
            bad += not same
            vocab = stats(lines, name, baselines=True)
            kinds = generate.kinds[lines[0]]
            print("  constructions (besides lines 1-9): " +
                  ", ".join(f"{k} {v}" for k, v in kinds.items()))
            if "-v" in argv:
                print("  " + " ".join(sorted(vocab, key=lambda w: (-vocab[w], w))))
        return 1 if bad else 0
    for name, lines in out.items():
        tmp = os.path.join(here, name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(("\n".join(lines) + "\n").encode("utf-8"))
        os.replace(tmp, os.path.join(here, name))
        stats(lines, name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
