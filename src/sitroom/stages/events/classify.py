"""What a trigger means in its sentence: the sub-event type a token names (`classify`), then the
sub-type adjusted by what else the sentence says (`refine`: tear gas at a protest, an attack on
soldiers, aircraft against aircraft). The patterns both read are here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitroom.model import SubEventType as S
from sitroom.stages.events.lexicon import lexicon

if TYPE_CHECKING:
    from spacy.tokens import Token

    from sitroom.stages.events.mention import Party

_AIR = re.compile(
    r"\b(air|drones?|warplanes?|jets?|aircraft|planes?|helicopters?|gunships?|aerial|uavs?|"
    r"reapers?|f-\d+|mq-\d+s?|bombers?|airstrikes?|air force)\b",
    re.I,
)
AIRCRAFT_ONLY = re.compile(
    r"\b(drones?|warplanes?|jets?|aircraft|aeroplanes?|planes?|helicopters?|uavs?|"
    r"reapers?|mq-\d+s?|fighters? jets?|bombers?)\b",
    re.I,
)
_MILITARY_STRIKE = re.compile(
    r"\b(military|army|forces|troops|coalition|militias?|militants?|targets?|"
    r"positions|bases?|killing|killed|carried out|launched|conducted)\b",
    re.I,
)
_LABOUR_STRIKE = re.compile(
    r"\b(\d+-hour|hunger|general|students?|civil servants|employees|workers|teachers|"
    r"doctors|nurses|unions?|staged|observ\w+|labou?r|wages?|pay|salar\w+)\b",
    re.I,
)
_SUICIDE = re.compile(r"\bsuicide\b", re.I)
_SHELL = re.compile(r"\b(shell(s|ed|ing)?|artillery|mortars?|rockets?|missiles?|howitzers?)\b", re.I)
_IED = re.compile(
    r"\b(ieds?|roadside bombs?|landmines?|land mines?|explosive devices?|car bombs?|"
    r"improvised|bomb (?:exploded|went off|blast))\b",
    re.I,
)
_CHEM = re.compile(r"\b(chemical weapons?|chlorine|sarin|mustard gas|nerve agent)\b", re.I)
_INTERVENTION = re.compile(
    r"\b(tear ?gas|teargas|dispersed?|dispersing|water cannons?|batons?|rubber bullets|"
    r"arrested|arrests?|detained|broke up|baton|intervened?|intervention|fired (?:shots|"
    r"warning shots|in the air)|warning shots|blocked by police|prevented)\b",
    re.I,
)
_LETHAL = re.compile(r"\b(killed|shot dead|live (?:bullets|ammunition|rounds)|opened fire|died|dead)\b", re.I)
_VIOLENT_CROWD = re.compile(
    r"\b(burn(?:ed|t)? down|set fire|ransack\w*|altercation|vandal\w*|lynch\w*|stormed|"
    r"traffic was blocked|property damage|looted|destroyed|violent(?:ly)?|running battles?|clash(?:ed|es)?|"
    r"light(?:ed|ing)? fires?|lit fires?|"
    r"bonfires?|block(?:ed|ing)? (?:the )?roads?|beat(?:en)? up|stoned|stones|"
    r"pelted|threw stones|stone-throwing|hurled stones|burn(?:ed|t|ing) (?:tyres|tires|"
    r"vehicles?|cars?|buildings?|property)|barricad\w*|looted|vandali[sz]ed|clashed with "
    r"police|set ablaze|set on fire|torched|rampage)\b",
    re.I,
)
_MILITARY_TARGET = re.compile(
    r"\b(soldiers?|troops|army|military|police(?:men)?|officers?|base|barracks|"
    r"checkpoint|convoy|patrol|forces|station|post|camp|militants?|rebels?|fighters|"
    r"insurgents|jihadists|gunmen|raiders|bandits|attackers|assailants|terrorists|"
    r"reservists?|rangers?|guards?|gendarmes?|militia(?:men|s)?|vdp|volunteers|"
    r"customs|koglweogo|dozos?|vigilante group)\b",
    re.I,
)
_COLLECTIVE = re.compile(
    r"\b(residents|villagers|youths?|crowds?|mobs?|group|members|locals|people|community|"
    r"rioters|vigilantes|men|herders|farmers|students|traders|supporters)\b",
    re.I,
)
_STATE_FORCES = re.compile(
    r"\b(police(?:men)?|officers?|soldiers?|troops|army|military|security forces|gendarmes?|"
    r"guards?|customs officials|fds|vdp|"
    r"gendarmerie|kdf|gsu|defen[cs]e forces|armed forces|reservists?|rangers?)\b",
    re.I,
)
_NON_STATE_ARMED = re.compile(
    r"\b(militants?|rebels?|insurgents?|jihadists?|gunmen|raiders|bandits|attackers|"
    r"assailants|terrorists?|al[- ]shabaa?b|boko haram|islamic state|isis|jnim|ansarul|"
    r"armed (?:men|group)|militia(?:men|s)?|fighters|rustlers|shabaab)\b",
    re.I,
)
PROTEST_WORDS = re.compile(
    r"\b(protest\w*|demonstrat\w*|demo|rioters?|riots?|rioting|march(?:ed|ers)|"
    r"picket\w*|sit-in)\b",
    re.I,
)
_DISRUPTION = re.compile(
    r"\b(defus\w+|uncover\w*|discover\w*|found|recover\w*|seiz\w+|safely detonated|"
    r"controlled explosion|intercept\w*|foil\w*|thwart\w*|disarm\w*)\b",
    re.I,
)
_TERRITORY_OBJ = re.compile(
    r"\b(town|city|village|base|area|territory|district|control|region|locality|"
    r"positions?|airport|port|capital|outpost)\b",
    re.I,
)
_PROPERTY = re.compile(
    r"\b(houses?|homes?|huts?|villages?|vehicles?|cars?|trucks?|schools?|churche?s?|mosques?|"
    r"shops?|stores?|buildings?|property|market|granar(?:y|ies)|crops|offices?|stations?|"
    r"dormitor(?:y|ies)|banners?|tyres|tires|motorcycles?|buses)\b",
    re.I,
)


#: words the words around them type: "drone strike", "artillery raid", "went on strike"
_GENERIC = frozenset(
    [
        "strike",
        "strikes",
        "struck",
        "hit",
        "raid",
        "raids",
        "bombed",
        "bombing",
        "attack",
        "attacks",
        "attacked",
        "targeted",
        "target",
    ]
)
#: heads that make a trigger a mere modifier: "riot gear", "bomb disposal squad", "fighter jets"
_MODIFIED_HEADS = frozenset(
    [
        "gear",
        "police",
        "squad",
        "control",
        "unit",
        "shield",
        "helmet",
        "disposal",
        "jet",
        "plane",
        "aircraft",
        "permit",
        "song",
        "sign",
        "banner",
    ]
)


def classify(tok: Token, sent_text: str) -> S | None:
    """The sub-event type a token triggers in its sentence, or None."""
    lemma, low = tok.lemma_.lower(), tok.lower_
    if tok.pos_ not in {"VERB", "NOUN", "PROPN", "ADJ"} or low in {"according", "accordance"}:
        return None
    sub = _in_context(tok, lexicon().trigger(lemma, low), sent_text)
    if sub is None:
        return None
    return _checked(tok, sub, sent_text)


def _in_context(tok: Token, sub: S | None, sent_text: str) -> S | None:
    """What the words around a trigger make of it: "drone strike", "opened fire", "shot down"."""
    low = tok.lower_
    if low in _GENERIC:
        doc = tok.doc
        window = doc[max(0, tok.i - 4) : min(len(doc), tok.i + 6)].text
        if _AIR.search(window) and not AIRCRAFT_ONLY.fullmatch(window.strip()):
            sub = S.AIR_STRIKE
        elif _SHELL.search(window):
            sub = S.SHELLING
        elif low in {"strike", "strikes"} and re.search(
            r"\b(workers?|teachers?|doctors?|nurses?|general|"
            r"went on|go on|labou?r|unions?)\b",
            sent_text,
            re.I,
        ):
            sub = S.PEACEFUL_PROTEST
        elif low in {"raid", "raids", "attack", "attacks", "attacked", "struck", "hit", "targeted", "bombed"}:
            sub = S.ATTACK
        elif (
            low in {"strike", "strikes"}
            and tok.pos_ == "NOUN"
            and _MILITARY_STRIKE.search(sent_text)
            and not _LABOUR_STRIKE.search(sent_text)
        ):
            # "the US carried out strikes against militias": a military's bare "strike" is from the air
            sub = S.AIR_STRIKE
    if low in {"fire", "fired", "firing"} and re.search(
        r"\bopen(ed)? fire|fired (?:at|on|shots|bullets)", sent_text, re.I
    ):
        sub = S.ATTACK
    if low in {"missile", "missiles", "rocket", "rockets"} and _AIR.search(sent_text):
        sub = (
            S.AIR_STRIKE
            if re.search(r"\b(warplanes?|jets?|drones?|helicopters?|aircraft)\b", sent_text, re.I)
            else S.SHELLING
        )
    if low in {"shot", "shoot", "shooting"} and re.search(r"\bshot down\b", sent_text, re.I):
        sub = S.DISRUPTED_WEAPONS_USE
    if low in {"crashed", "crash", "downed", "downing"} and AIRCRAFT_ONLY.search(sent_text):
        sub = S.DISRUPTED_WEAPONS_USE
    return sub


def _checked(tok: Token, sub: S, sent_text: str) -> S | None:
    """The ACLED tie-breaks (a suicide attacker, an IED, a chemical decide the type) and the senses
    of a trigger that name no event ("signed a deal", "riot gear", "destroyed" with nothing destroyed)."""
    lemma, low = tok.lemma_.lower(), tok.lower_
    if sub in {S.ATTACK, S.REMOTE_EXPLOSIVE} and _SUICIDE.search(sent_text):
        return S.SUICIDE_BOMB
    if sub in {S.ATTACK, S.REMOTE_EXPLOSIVE} and _IED.search(sent_text):
        return S.REMOTE_EXPLOSIVE
    if sub == S.ATTACK and _CHEM.search(sent_text):
        return S.CHEMICAL_WEAPON
    if (
        sub == S.LOOTING
        and lemma == "destroy"
        and not re.search(
            r"\b(homes?|houses?|property|shops?|"
            r"buildings?|vehicles?|crops)\b",
            sent_text,
            re.I,
        )
    ):
        return None
    if lemma in {"seize", "capture", "overrun"}:
        # what was taken decides: a town is territory, a motorbike is loot
        objs = [c for c in tok.children if c.dep_ in {"dobj", "nsubjpass"}]
        taken = " ".join(tok.doc[c.left_edge.i : c.right_edge.i + 1].text for c in objs)
        if _TERRITORY_OBJ.search(taken) or (lemma == "overrun" and not objs):
            return S.NON_STATE_OVERTAKES_TERRITORY
    if (
        sub == S.DISRUPTED_WEAPONS_USE
        and lemma in {"seize", "recover", "confiscate"}
        and not re.search(
            r"\b(weapons?|arms|guns?|rifles?|ammunition|explosives?|bombs?|grenades?)\b", sent_text, re.I
        )
    ):
        return None
    if (
        sub == S.AGREEMENT
        and lemma in {"deal", "sign", "agreement"}
        and not re.search(
            r"\b(ceasefire|peace|truce|accord|prisoner|exchange|agreement|deal)\b", sent_text, re.I
        )
    ):
        return None
    if lemma in {"burn", "torch"} or low in {"burnt", "burned", "torched"}:
        if re.search(r"\b(alive|to death)\b", sent_text, re.I):
            return S.ATTACK
        if not _PROPERTY.search(sent_text):
            return None
        return S.LOOTING
    if lemma in {"exchange"} and "fire" not in sent_text.lower():
        return None
    if (
        lemma in {"fight", "battle"}
        and tok.pos_ == "VERB"
        and re.search(
            r"\b(fight against|fighting "
            r"corruption)\b",
            sent_text,
            re.I,
        )
    ):
        return None
    if lemma in {"capture", "seize"} and not _TERRITORY_OBJ.search(sent_text):
        return S.ABDUCTION if lemma == "capture" else None
    if lemma == "march" and tok.pos_ == "NOUN" and re.match(r"March", tok.text):
        return None
    if (
        tok.dep_ in {"compound", "amod", "nmod"}
        and lemma in {"riot", "protest", "bomb", "fight", "battle"}
        and tok.head.lemma_.lower() in _MODIFIED_HEADS
    ):
        return None  # "police in riot gear", "bomb disposal squad", "fighter jets" name no event
    if lemma in {"deal", "sign"} and tok.pos_ == "NOUN":
        return None
    return sub


_POLICE_BEFORE = re.compile(r"\b(police|officers?|troops|soldiers|security forces|gendarmes?)\b", re.I)
_CROWD_BEFORE = re.compile(
    r"\b(protesters?|demonstrators?|crowds?|youths?|students|rioters?|residents|mob|"
    r"supporters|traders|they)\b",
    re.I,
)


def _crowd_violence(text: str) -> bool:
    """Stones, fires, barricades by the crowd, not "police in riot gear blocked the road"."""
    for m in _VIOLENT_CROWD.finditer(text):
        before = text[max(0, m.start() - 50) : m.start()]
        police = list(_POLICE_BEFORE.finditer(before))
        crowd = list(_CROWD_BEFORE.finditer(before))
        if (
            police
            and (not crowd or crowd[-1].start() < police[-1].start())
            and not m.group().lower().startswith(("clash", "running"))
        ):
            continue
        return True
    return False


_NEGATED_ACT = re.compile(r"\b(?:nobody|no one|none|never|not|no)\b[^.;,]{0,30}", re.I)


def refine(sub: S, sent_text: str, agent: Party | None, patient: Party | None) -> S:
    """Adjust a sentence's sub-type with what else it says (intervention, targets, aircraft)."""
    # "Nobody threw a stone", "did not loot": a denied act is no evidence of it
    sent_text = _NEGATED_ACT.sub(" ", sent_text)
    protest_context = bool(PROTEST_WORDS.search(sent_text))
    if sub in {S.ARMED_CLASH, S.ATTACK} and protest_context:
        lethal = bool(_LETHAL.search(sent_text))
        if _crowd_violence(sent_text):
            return S.VIOLENT_DEMONSTRATION
        if agent is not None and agent.inter == 1:
            # the police beat or shot demonstrators: an intervention, excessive when it kills
            return S.EXCESSIVE_FORCE if lethal else S.PROTEST_WITH_INTERVENTION
        if lethal and _STATE_FORCES.search(sent_text) and not _crowd_violence(sent_text):
            return S.EXCESSIVE_FORCE
        return S.VIOLENT_DEMONSTRATION
    if (
        sub in {S.REMOTE_EXPLOSIVE, S.GRENADE}
        and _DISRUPTION.search(sent_text)
        and not _LETHAL.search(sent_text)
    ):
        return S.DISRUPTED_WEAPONS_USE
    if sub == S.NON_STATE_OVERTAKES_TERRITORY and agent is not None and agent.inter == 1:
        return S.GOVERNMENT_REGAINS_TERRITORY
    if sub == S.PEACEFUL_PROTEST:
        if _crowd_violence(sent_text):
            return S.VIOLENT_DEMONSTRATION
        if _LETHAL.search(sent_text) and re.search(
            r"\b(police|security forces|soldiers|troops)\b", sent_text, re.I
        ):
            return S.EXCESSIVE_FORCE
        if _INTERVENTION.search(sent_text):
            return S.PROTEST_WITH_INTERVENTION
    if sub == S.ATTACK:
        if re.search(
            r"\b(mob|lynch\w*|vigilantes?|angry (?:youths|residents|villagers|crowd))\b", sent_text, re.I
        ):
            return S.MOB_VIOLENCE
        if agent is not None and agent.inter in {5, 7} and _COLLECTIVE.search(agent.text or ""):
            return S.MOB_VIOLENCE
        armed_target = patient is not None and (
            patient.inter in {1, 2, 3} or bool(_MILITARY_TARGET.search(patient.text or ""))
        )
        armed_agent = agent is not None and agent.inter in {1, 2, 3, 8}
        if armed_target and (armed_agent or agent is None):
            return S.ARMED_CLASH
        if _STATE_FORCES.search(sent_text) and (
            _NON_STATE_ARMED.search(sent_text) or (agent is not None and agent.inter in {2, 3, 4})
        ):
            return S.ARMED_CLASH
    if (
        sub in {S.ATTACK, S.AIR_STRIKE, S.SHELLING}
        and patient is not None
        and AIRCRAFT_ONLY.search(patient.text or "")
        and not _LETHAL.search(sent_text)
    ):
        # aircraft against aircraft without losses: a show of force, not a strike
        return S.OTHER
    return sub
