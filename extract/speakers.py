"""Who said a quote: speaker name, role and kind, from the words that introduce it.

Councils attribute quotes in a handful of ways: "Name, Role said:", "Role Name said",
"Katie's Mum Sue, ...", "one resident said;", "said Name, Role" after the quote, a caption
"My name is Melanie, ..." inside the quote, or not at all inside a personal story (then the
story's subject speaks). :func:`attribute_speaker` reads the lead-in with spaCy's dependency
parse (the subject of the reporting verb) and falls back to patterns where the small model's
parse or entities are unreliable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz
from spacy.lang.en.stop_words import STOP_WORDS

SPEECH_VERBS = {
    "say", "state", "tell", "add", "comment", "explain", "reflect", "voice", "share", "talk",
    "write", "reply", "respond", "remark", "recall", "describe", "agree", "continue", "answer",
    "exclaim", "note", "report", "recognise", "recognize", "conclude", "praise", "thank", "put",
    "express", "feedback", "summarise", "summarize", "sum",
}
# A lead-in ending like this introduces a quote (used also to find where a story ends).
SPEECH_CUE = re.compile(
    r"\b(said|says|stated|states|stating|told (?:us|me|them|him|her)|tells (?:us|me|them)|added|adds|"
    r"commented|comments|explained|explains|reflected|reflects|voiced|shared|replied|responded|"
    r"remarked|recalled|agreed|agreeing|continued|wrote|writes|answer is|response was|reply was|"
    r"quotes? from|comments? from|feedback from|responses? included)\b[^.!?]{0,60}[:;,]?\s*$",
    re.I,
)
ROLE_WORDS = re.compile(
    r"\b(head|manager|director|officer|worker|coordinator|co-?ordinator|nurse|OT|therapist|"
    r"practitioner|assistant|lead|leader|advisor|adviser|commissioner|chief|principal|specialist|"
    r"consultant|administrator|supervisor|member|councillor|cllr|chair|chairman|chairperson|mayor|"
    r"carer|volunteer|mum|mother|dad|father|son|daughter|wife|husband|sister|brother|partner|"
    r"grandson|granddaughter|grandmother|grandfather|grandma|grandad|cousin|aunt|uncle|nephew|niece|"
    r"resident|tenant|apprentice|student|doctor|GP|psychologist|"
    r"social|development|team|service|services|cabinet|portfolio|executive)\b",
    re.I,
)
PRONOUNS = {"he", "she", "they", "him", "her", "his", "their", "i", "we"}
POSSESSIVE_PRONOUNS = {"his", "her", "their"}
FAMILY = re.compile(r"\b(mum|mom|mother|dad|father|son|daughter|wife|husband|sister|brother|"
                    r"family|relatives?|grand\w*|nephew|niece|aunt|uncle|cousin|parents?)\b", re.I)
STAFF = re.compile(r"\b(head of|manager|director|officer|social worker|worker|co-?ordinator|nurse|"
                   r"OT|occupational therapist|therapist|practitioner|assistant|lead|advisor|adviser|"
                   r"commissioner|chief|principal|specialist|consultant|supervisor|staff|"
                   r"who work(?:s|ed)? (?:in|for|at))\b", re.I)
PARTNER_ORG = re.compile(r"\b(trust|charity|NHS|society|hospice|healthwatch|age uk|"
                         r"association|foundation|CIC|voluntary)\b", re.I)
COUNCILLOR = re.compile(r"\b(councillor|cllr|cabinet member|lord mayor|leader of the council)\b", re.I)
PERSON_SUPPORTED = re.compile(r"\b(resident|respondent|service user|person supported|patient|"
                              r"client|tenant|person who|people who use|living with)\b", re.I)
GROUP = re.compile(r"^(those|people|everyone|many|some|all|families|members|the group|staff)\b", re.I)
NAME_CAPTION = re.compile(r"\bmy name is ([A-Z][\w’'-]+(?: [A-Z][\w’'-]+)?)", re.I)
AS_ROLE = re.compile(r"\b(?:as|am) an? ((?:[A-Z][\w&-]*\s?){1,5})")
SURVEY = re.compile(r"\b(survey|questionnaire|asked (?:people|them|residents|carers|us))\b", re.I)
RESPONSES = re.compile(r"\b(responses|respondents|answers|comments)\b", re.I)
GROUP_SOURCE = re.compile(r"\b(?:quotes?|comments?|feedback|words|messages?|responses?) (?:from|of|by) "
                          r"(?:the |our |some )?([a-z][a-z -]{2,60}?)(?: in | on | about | to | who |[,.;:]|$)", re.I)
REPORT_SOURCE = re.compile(r"\b(?:the |their |an? )?(?:\d{4} )?([A-Z][A-Za-z]{1,}(?: [A-Z][A-Za-z]+){0,3}) "
                           r"(?:report|inspection|review|judgement|letter|assessment|guidance|survey)\b")
# Nouns (and agent-noun endings) that name a person or group: a role-only speaker must hold one,
# so "Peter's journey continues ..." is not taken for a speaker.
PERSON_NOUN = re.compile(r"\b(people|person|persons|those|everyone|someone|anyone|man|men|woman|women|lady|"
                         r"ladies|gentleman|gentlemen|child|children|girl|boy|friends?|neighbours?|colleagues?|"
                         r"pupils?|clients?|customers?|users?|participants?|attendees?|residents?|respondents?|"
                         r"parents?|students?|patients?|agents?|relatives?|guests?|panel|board|committee|group|"
                         r"forum|family|families|inspectors?|staff|team|\w{3,}(?:er|or|ist|ian|ant)s?)\b", re.I)
SPEECH_NOUN_TAIL = re.compile(r"\b(answer|response|reply|comment|feedback|view|words)\s+(?:is|was|were)\s*[:;,]?\s*$", re.I)
# Narration that makes someone an unpaid carer: "cares for her father", "her husband, who lives with
# dementia", "her caring role". Read from the person's name onwards in one sentence.
CARING = re.compile(r"\b(?:cares|cared|caring) for\b(?! by)|\blook(?:s|ed|ing)? after (?:her|his|their) |"
                    r"\b(?:unpaid|family|young) carers?\b|\bcaring (?:role|responsibilit)|"
                    r"\b(?:is|was|became|as) (?:an? |the )?(?:main |sole |full[- ]time )?carer (?:for|to)\b|"
                    r"\b(?:her|his|their) (?:husband|wife|partner|mum|mother|dad|father|son|daughter|brother|sister|"
                    r"parents?),? (?:who|whose) (?:\w+ ){0,2}(?:diagnosed|lives? with|living with)\b", re.I)
COPULA_TAIL = re.compile(r"\b(is|are|was|were)\s*(?:that)?\s*[:;,]?\s*$", re.I)
TRAILING_SAID = re.compile(r"^\W{0,3}(?:said|says|added|adds|explained|commented|stated)\s+"
                           r"((?:Councillor |Cllr |Dr |Mr |Mrs |Ms )?[A-Z][\w’'-]+(?: [A-Z][\w’'-]+){0,2})"
                           r"(?:,\s*([^.;]{3,80}))?")


@dataclass
class Attribution:
    """The result of reading a lead-in: a name, a role, or both; ``kind`` when the text says it."""

    speaker: str | None = None
    role: str | None = None
    kind: str | None = None

    def __bool__(self) -> bool:
        return bool(self.speaker or self.role)


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    text = re.sub(r"\s*\([^)]*\)", "", text)
    text = text.strip(" ,;:.-–—")
    text = re.sub(r"^(?:the|a|an|one|our)\s+", "", text, flags=re.I)
    text = re.sub(r"\s+(?:involved|too|also)$", "", text, flags=re.I)
    return re.sub(r"\s+", " ", text).strip(" ,;:") or None


def split_name_role(phrase: str, nlp=None) -> Attribution:
    """Split "Jon Reading, Head of X", "Peter's social worker Mariam", "one resident" into name and role.

    A name is a run of capitalised words that are not role words; whatever else the phrase
    holds is the role. No capitalised run → role only.
    """
    phrase = _clean(phrase) or ""
    if not phrase:
        return Attribution()
    if "," in phrase:
        head, rest = phrase.split(",", 1)
        head_attr = split_name_role(head, nlp)
        if head_attr.speaker and not head_attr.role:
            return Attribution(head_attr.speaker, _clean(rest))
        rest_attr = split_name_role(rest, nlp)
        if not head_attr.speaker and head_attr.role and rest_attr.speaker and not rest_attr.role:
            return Attribution(rest_attr.speaker, head_attr.role)  # "Lead for X, Jodie Storrow"
    phrase = re.split(r"[:;]", phrase)[-1].strip() or phrase
    phrase = re.split(r",\s*(?:who|which|that|because|as|when)\b", phrase)[0]
    if nlp is not None:
        doc = nlp(phrase)
        for ent in doc.ents:
            if ent.label_ != "PERSON" or (ent.end < len(doc) and doc[ent.end].dep_ == "case") or re.search(r"[’']s ", ent.text):
                continue
            name = re.sub(r"^(?:the|a)\s+", "", ent.text)
            after = phrase[ent.end_char:].strip()
            before = phrase[:ent.start_char].strip()
            while len(name.split()) > 1 and ROLE_WORDS.fullmatch(name.split()[0]):
                head, name = name.split(" ", 1)  # "Mum Sue": the role word is not part of the name
                before = f"{before} {head}".strip()
            if name.split()[-1].lower() in STOP_WORDS or ROLE_WORDS.fullmatch(name.split()[-1]):
                continue
            if re.match(r"[a-z]", after.split(",")[0].strip() or "X"):
                continue  # "those that know Martin well": the name is not the speaker
            surname = re.match(r"([A-Z][\w’'-]*)\b(?![’'])(?!\s+[A-Z])\s*", after)
            if surname and len(name.split()) == 1 and not ROLE_WORDS.fullmatch(surname.group(1)) \
                    and surname.group(1).lower() not in STOP_WORDS:
                name, after = f"{name} {surname.group(1)}", after[surname.end():]  # the entity cut a surname off
            role = after if after else before
            return Attribution(name, _clean(role))
    tokens = phrase.split()
    best = None
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        is_name = (tok[:1].isupper() and not ROLE_WORDS.fullmatch(tok.strip("’'s,"))
                   and not re.search(r"[’']s$", tok) and tok.lower().strip(",") not in STOP_WORDS)
        if is_name:
            j = i
            while j + 1 < len(tokens) and j - i < 2 and tokens[j + 1][:1].isupper() and not ROLE_WORDS.fullmatch(
                    tokens[j + 1].strip(",")) and not re.search(r"[’']s$", tokens[j + 1]):
                j += 1
            best = (i, j)
            title = i > 0 and re.fullmatch(r"(?i)councillor|cllr|dr|mr|mrs|ms|miss", tokens[i - 1])
            if title:
                best = (i - 1, j)
            break
        if not (re.search(r"[’']s$", tok) or ROLE_WORDS.fullmatch(tok.strip(",")) or tok.lower() in ("the", "a", "an")):
            break  # a name leads the phrase or follows its role ("Those that know Martin" names nobody)
        i += 1
    if best is None:
        return Attribution(None, _clean(phrase))
    a, b = best
    name = " ".join(tokens[a:b + 1]).strip(",")
    role = " ".join(tokens[:a] + tokens[b + 1:])
    return Attribution(name, _clean(role))


def _subject_phrase(verb) -> str | None:
    """The text of the grammatical subject of a reporting verb (climbing conj/advcl chains)."""
    tok = verb
    for _ in range(4):
        # Passive "was recognised in the report" has no speaker as subject; "by X" is the agent.
        subjects = [c for c in tok.children if c.dep_ == "nsubj"] or [
            g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if subjects and subjects[0].tag_ in ("WP", "WDT") and tok.dep_ == "relcl":
            subjects = [tok.head]  # "Sue, who said ..." → Sue
        if any(c.dep_ == "nsubjpass" for c in tok.children) and not subjects:
            return None
        if subjects:
            excluded = set()
            for s in subjects:
                if s.pos_ == "PROPN":  # "Sue, who gets very emotional ..." → just "Sue"
                    for t in s.subtree:
                        if t.dep_ in ("relcl", "acl") and t is not s:
                            excluded.update(x.i for x in t.subtree)
            toks = sorted({t.i for s in subjects for t in s.subtree} - excluded)
            start, end = toks[0], toks[-1]
            return verb.doc[start:end + 1].text
        if tok.dep_ in ("conj", "advcl", "xcomp", "ccomp", "pcomp") and tok.head is not tok:
            tok = tok.head
        else:
            break
    return None


def _resolve_pronoun(attr: Attribution, people_before: list[str], story_subject: str | None) -> Attribution:
    if attr.speaker or not attr.role:
        return attr
    words = attr.role.split()
    low = words[0].lower()
    if len(words) == 1 and low in PRONOUNS:
        if people_before:
            return Attribution(people_before[-1], None)
        if story_subject:
            return Attribution(story_subject, None)
        if people_before:
            return Attribution(people_before[-1], None)
        return Attribution()
    if low in POSSESSIVE_PRONOUNS and len(words) > 1:
        owner = story_subject or (people_before[-1] if people_before else None)
        if owner:
            return Attribution(None, f"{owner}’s {' '.join(words[1:])}")
    return attr


def names_a_person(role: str | None) -> bool:
    """True when a role-only phrase names a person or group ("Head of Service", "one resident"),
    not a thing ("Peter's journey")."""
    words = re.sub(r"\S+[’']s\b", "", role or "")
    return any(p.search(words) for p in (PERSON_NOUN, ROLE_WORDS, FAMILY, PERSON_SUPPORTED, COUNCILLOR))


ROLE_LEAD = re.compile(rf"^(?:(?i:our|the|their|its)\s+)?(?:[A-Z][\w&-]*\s+){{0,3}}?(?i:{ROLE_WORDS.pattern})")


def _role_before(sentence: str, subject: str) -> str | None:
    """The role set before a bare name: "Lead for X Team (XT), Jodie Storrow said" → "Lead for X Team"."""
    before = sentence[:sentence.rfind(subject)].rstrip()
    if not before.endswith(","):
        return None
    before = re.split(r"[.;:]", before[:-1])[-1].strip()
    if len(before.split()) > 12 or not before[:1].isupper() or not ROLE_LEAD.match(before):
        return None
    return _clean(before)


def _first_person_noun(sent) -> str | None:
    """The first person or group a sentence names, with its relative clause ("people who work in X"),
    for a quote introduced by a bare "the answer is"."""
    for tok in sent:
        if tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ not in ("nsubj", "pobj", "dobj") \
                or not names_a_person(tok.text) or tok.lemma_.lower() in ("answer", "response", "reply"):
            continue
        keep = {tok.i} | {t.i for left in tok.lefts if left.dep_ in ("amod", "compound", "det") for t in left.subtree}
        for clause in (c for c in tok.rights if c.dep_ == "relcl"):
            cut = {t.i for c in clause.children if c.dep_ in ("advcl", "xcomp", "ccomp", "conj", "punct")
                   for t in c.subtree}
            keep |= {t.i for t in clause.subtree} - cut
        return _clean(sent.doc[min(keep):max(keep) + 1].text)
    return None


class Parses:
    """spaCy parses of texts, each made once; a drop-in for ``nlp`` where only ``nlp(text)`` is called.

    :meth:`prefetch` parses many texts in one ``nlp.pipe`` batch: the model then runs once per
    batch rather than once per text, which for texts as short as lead-ins costs half as much.
    """

    def __init__(self, nlp):
        self.nlp = nlp
        self.docs: dict[str, object] = {}

    def prefetch(self, texts) -> None:
        new = [t for t in dict.fromkeys(texts) if t and t not in self.docs]
        self.docs.update(zip(new, self.nlp.pipe(new)))

    def __call__(self, text: str):
        if text not in self.docs:
            self.docs[text] = self.nlp(text)
        return self.docs[text]


LEAD_REACH = 400  # characters of a lead-in parsed: its last sentence or two


def lead_to_parse(lead_in: str, tail: str) -> str:
    """The text :func:`attribute_speaker` parses for a quote ("" for none), so that callers can
    parse those of many quotes at once (:meth:`Parses.prefetch`)."""
    if TRAILING_SAID.match(tail or ""):
        return ""
    return (lead_in or "").strip()[-LEAD_REACH:]


def attribute_speaker(lead_in: str, tail: str, quote: str, nlp, story_subject: str | None = None) -> Attribution:
    """Read who is quoted from the text before (``lead_in``) and after (``tail``) a quote.

    Returns an empty Attribution when the text names nobody (the caller then carries on the
    previous speaker or the story's subject).
    """
    m = TRAILING_SAID.match(tail or "")
    if m:
        return Attribution(m.group(1), _clean(m.group(2)))
    lead = (lead_in or "").strip()
    if lead:
        doc = nlp(lead_to_parse(lead_in, tail))
        sents = list(doc.sents)
        sent = sents[-1] if sents else doc[:]
        if len(sent.text.strip(" ;:,")) < 3 and len(sents) > 1:
            sent = sents[-2]
        # Who a "she"/"he" in the lead-in refers to: the named subjects of its clauses.
        people_before = [t.text for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "PROPN"
                         and t.is_title] or [e.text for e in sent.ents if e.label_ == "PERSON"
                                             and not (e.end < len(doc) and doc[e.end].dep_ == "case")]
        text = sent.text
        gm = GROUP_SOURCE.search(text)
        if gm and not re.search(r"\b(said|says|told)\b", text[gm.end():]):
            noun = nlp(gm.group(1).strip())
            role = " ".join(t.lemma_ if t.i == len(noun) - 1 else t.text for t in noun)
            return Attribution(None, role)
        if RESPONSES.search(text) and SURVEY.search(lead[-600:]):
            return Attribution(None, "survey respondent", "person_supported")
        verbs = [t for t in sent if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in ("VERB", "AUX", "NOUN")
                 and not (t.tag_ == "VBG" and t.dep_ in ("advcl", "pcomp", "acl"))]
        for verb in reversed(verbs):
            phrase = _subject_phrase(verb)
            if phrase:
                attr = _resolve_pronoun(split_name_role(phrase, nlp), people_before, story_subject)
                if attr.speaker and not attr.role:
                    attr.role = _role_before(text, phrase)
                if attr.speaker or names_a_person(attr.role):
                    return attr
        if SPEECH_NOUN_TAIL.search(text):
            owner = _first_person_noun(sent)
            if owner:
                return Attribution(None, owner)
        if not verbs and text.rstrip().endswith((",", ":")):
            root = sent.root
            if root.pos_ in ("PROPN", "NOUN") and root.text[:1].isupper():
                keep = [t for t in root.subtree if not any(a.dep_ in ("relcl", "prep", "acl") and a.head is root
                                                           for a in [t] + list(t.ancestors) if a is not root)]
                keep = sorted(keep, key=lambda t: t.i)
                phrase = doc[keep[0].i:keep[-1].i + 1].text
                attr = split_name_role(phrase, nlp)
                if attr.speaker:
                    return attr
        rm = REPORT_SOURCE.search(text)
        if rm and text.rstrip().endswith(":"):
            return Attribution(rm.group(1), None, "other")
    m = NAME_CAPTION.search(quote or "")
    if m:
        role = AS_ROLE.search(quote)
        return Attribution(m.group(1), _clean(role.group(1)) if role else None)
    return Attribution()


def speaker_kind(speaker: str | None, role: str | None, context: str = "", story_subject: str | None = None) -> str:
    """Classify a speaker as person_supported, carer, family, staff, councillor, partner, group or other."""
    who = " ".join(x for x in (speaker, role) if x)
    if COUNCILLOR.search(who):
        return "councillor"
    if role and STAFF.search(role):
        return "partner" if PARTNER_ORG.search(f"{role} {context}") else "staff"
    if role and FAMILY.search(role):
        return "family"
    if role and re.search(r"\bcarers?\b", role, re.I):
        return "carer"
    if role and GROUP.search(role):
        return "group"
    if role and PERSON_SUPPORTED.search(role):
        return "person_supported"
    if speaker and (speaker.isupper() or PARTNER_ORG.search(speaker)):
        return "other"
    if speaker:
        return "person_supported"
    return "other"


def narrated_as_carer(name: str, text: str) -> bool:
    """True when narration says ``name`` looks after someone: "Priya cares for her father, who ...".

    The cue must follow the name closely in the same sentence, with no "whose"/"by" between,
    so "Katie, whose mum cares for her" and "Ann is cared for by her son" do not count.
    """
    first = re.escape(name.split()[0])
    for m in re.finditer(rf"\b{first}\b(?![’']s)([^.!?]{{0,120}})", text):
        cue = CARING.search(m.group(1))
        if cue and cue.start() <= 80 and not re.search(r"\b(?:whose|by)\b|[’']s\b", m.group(1)[:cue.start()]):
            return True
    return False


class SpeakerRegistry:
    """The people quoted in one document, so "Katie" and "Katie Smith" share one role and kind."""

    def __init__(self) -> None:
        self.people: list[Attribution] = []

    def find(self, name: str | None) -> Attribution | None:
        if not name:
            return None
        key = name.lower().replace("’", "'")
        for known in self.people:
            other = known.speaker.lower().replace("’", "'")
            a, b = set(key.split()), set(other.split())
            if a <= b or b <= a or fuzz.token_set_ratio(key, other) >= 90:
                return known
        return None

    def remember(self, attr: Attribution) -> Attribution:
        """Fill a missing role/kind from an earlier mention of the same person, and record this one."""
        if not attr.speaker:
            return attr
        known = self.find(attr.speaker)
        if known is None:
            self.people.append(Attribution(attr.speaker, attr.role, attr.kind))
            return attr
        if attr.role and not known.role:
            known.role = attr.role
        if attr.kind and not known.kind:
            known.kind = attr.kind
        return Attribution(attr.speaker, attr.role or known.role, attr.kind or known.kind)


ROLE_BEFORE_NAME = re.compile(
    r"\b((?:[A-Z][a-z]+ ){0,3}(?:Carer|Worker|Manager|Officer|Coordinator|Co-ordinator|Nurse|Therapist|"
    r"Assistant|Advocate|Practitioner))\s+([A-Z][a-z]+)\b")
RELATION_BEFORE_NAME = re.compile(
    r"\b([A-Z][a-z]+[’']s\s+(?:[a-z]+ )?(?:mum|mother|dad|father|wife|husband|son|daughter|sister|brother|"
    r"social worker|carer|worker|advocate|nurse|therapist|OT))\s+([A-Z][a-z]+)\b", re.I)


def roles_mentioned(text: str) -> list[Attribution]:
    """People introduced with a role in narration: "Shared Lives Carer Lucy", "Katie's Mum Sue"."""
    out = []
    for pattern in (ROLE_BEFORE_NAME, RELATION_BEFORE_NAME):
        for m in pattern.finditer(text):
            if m.group(2)[:1].isupper() and not ROLE_WORDS.fullmatch(m.group(2)):
                out.append(Attribution(m.group(2), m.group(1)))
    return out


CAPTION = re.compile(r"^((?:Councillor |Cllr |Dr )?[A-Z][a-z]+(?:[ -][A-Z][a-z’'-]+){1,2}?)[,\s]+(.{3,90})$")


def caption_attribution(text: str) -> Attribution | None:
    """A printed signature under a quote: "Michelle Perry Social Worker, All Age Disability Team"."""
    text = text.strip()
    if len(text.split()) > 14 or re.search(r"[.!?:;“”\"]", text):
        return None
    m = CAPTION.match(text)
    if not m or not (STAFF.search(m.group(2)) or COUNCILLOR.search(text)) or ROLE_WORDS.search(m.group(1)):
        return None
    return Attribution(m.group(1), _clean(m.group(2)))
