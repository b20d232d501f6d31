"""The record contract (shared/docs/record-contract.md, v1) as typed models.

These models are the single source of the JSON that every interface prints, of the database rows
(stored as the JSON of these models) and of the JSON Schema (`sitroom schema`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CONTRACT_VERSION = 1


class EntityKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    STATE = "state"
    ARMED_GROUP = "armed_group"
    MEDIA = "media"
    CIVILIANS = "civilians"
    OTHER = "other"


class Precision(StrEnum):
    YEAR = "year"
    MONTH = "month"
    WEEK = "week"
    DAY = "day"


class Feature(StrEnum):
    POPULATED_PLACE = "populated_place"
    ADMIN1 = "admin1"
    ADMIN2 = "admin2"
    COUNTRY = "country"
    REGION = "region"
    WATER = "water"
    OTHER = "other"


class Stance(StrEnum):
    ASSERTS = "asserts"
    CLAIMS = "claims"
    ALLEGES = "alleges"
    DENIES = "denies"
    CONFIRMS = "confirms"
    ASSESSES = "assesses"


class Status(StrEnum):
    REPORTED = "reported"
    CLAIMED = "claimed"
    ALLEGED = "alleged"
    DISPUTED = "disputed"
    DENIED = "denied"
    CONFIRMED = "confirmed"


class Context(StrEnum):
    POLITICAL = "political"
    CRIMINAL = "criminal"
    UNKNOWN = "unknown"


class EventType(StrEnum):
    BATTLES = "Battles"
    EXPLOSIONS = "Explosions/Remote violence"
    VIOLENCE_AGAINST_CIVILIANS = "Violence against civilians"
    PROTESTS = "Protests"
    RIOTS = "Riots"
    STRATEGIC = "Strategic developments"


class SubEventType(StrEnum):
    ARMED_CLASH = "Armed clash"
    GOVERNMENT_REGAINS_TERRITORY = "Government regains territory"
    NON_STATE_OVERTAKES_TERRITORY = "Non-state actor overtakes territory"
    SEXUAL_VIOLENCE = "Sexual violence"
    ATTACK = "Attack"
    ABDUCTION = "Abduction/forced disappearance"
    CHEMICAL_WEAPON = "Chemical weapon"
    AIR_STRIKE = "Air/drone strike"
    SUICIDE_BOMB = "Suicide bomb"
    SHELLING = "Shelling/artillery/missile attack"
    REMOTE_EXPLOSIVE = "Remote explosive/landmine/IED"
    GRENADE = "Grenade"
    PEACEFUL_PROTEST = "Peaceful protest"
    PROTEST_WITH_INTERVENTION = "Protest with intervention"
    EXCESSIVE_FORCE = "Excessive force against protesters"
    VIOLENT_DEMONSTRATION = "Violent demonstration"
    MOB_VIOLENCE = "Mob violence"
    AGREEMENT = "Agreement"
    ARRESTS = "Arrests"
    CHANGE_TO_GROUP = "Change to group/activity"
    DISRUPTED_WEAPONS_USE = "Disrupted weapons use"
    HEADQUARTERS = "Headquarters or base established"
    LOOTING = "Looting/property destruction"
    NON_VIOLENT_TRANSFER = "Non-violent transfer of territory"
    OTHER = "Other"


#: Which event type each sub-event type belongs to (ACLED codebook).
SUB_EVENT_PARENT: dict[SubEventType, EventType] = {
    **dict.fromkeys(
        [
            SubEventType.ARMED_CLASH,
            SubEventType.GOVERNMENT_REGAINS_TERRITORY,
            SubEventType.NON_STATE_OVERTAKES_TERRITORY,
        ],
        EventType.BATTLES,
    ),
    **dict.fromkeys(
        [SubEventType.SEXUAL_VIOLENCE, SubEventType.ATTACK, SubEventType.ABDUCTION],
        EventType.VIOLENCE_AGAINST_CIVILIANS,
    ),
    **dict.fromkeys(
        [
            SubEventType.CHEMICAL_WEAPON,
            SubEventType.AIR_STRIKE,
            SubEventType.SUICIDE_BOMB,
            SubEventType.SHELLING,
            SubEventType.REMOTE_EXPLOSIVE,
            SubEventType.GRENADE,
        ],
        EventType.EXPLOSIONS,
    ),
    **dict.fromkeys(
        [SubEventType.PEACEFUL_PROTEST, SubEventType.PROTEST_WITH_INTERVENTION, SubEventType.EXCESSIVE_FORCE],
        EventType.PROTESTS,
    ),
    **dict.fromkeys([SubEventType.VIOLENT_DEMONSTRATION, SubEventType.MOB_VIOLENCE], EventType.RIOTS),
    **dict.fromkeys(
        [
            SubEventType.AGREEMENT,
            SubEventType.ARRESTS,
            SubEventType.CHANGE_TO_GROUP,
            SubEventType.DISRUPTED_WEAPONS_USE,
            SubEventType.HEADQUARTERS,
            SubEventType.LOOTING,
            SubEventType.NON_VIOLENT_TRANSFER,
            SubEventType.OTHER,
        ],
        EventType.STRATEGIC,
    ),
}


class _Model(BaseModel):
    model_config = ConfigDict(use_enum_values=True, extra="forbid")


class Span(_Model):
    """A stretch of the document text: ``text[start:end] == self.text``."""

    start: int
    end: int
    text: str


class DocumentInfo(_Model):
    id: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: str | None = Field(default=None, description="YYYY-MM-DD, given or inferred")
    published_inferred: bool = False
    language: str = "en"
    text: str | None = Field(default=None, description="the text offsets index (with --with-text)")


class Entity(_Model):
    id: str
    name: str
    kind: EntityKind
    country: str | None = None
    role: str | None = None
    mentions: list[Span] = []
    #: False for a party known only by descriptions ("gunmen", "a local official", "the army")
    named: bool = True


class DateExpr(Span):
    value: str | None = None
    precision: Precision | None = None
    until: str | None = None


class Place(Span):
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    feature: Feature | None = None
    metonymy: bool = False
    qualifier: str | None = Field(default=None, description='region word such as "eastern"')


class SourceRef(Span):
    entity: str | None = None


class Attribution(_Model):
    id: str
    source: SourceRef | None = None
    cue: Span | None = None
    content: Span
    stance: Stance = Stance.ASSERTS
    quote: bool = False
    #: the directly quoted stretches of the content: the whole content for a quote, the quoted
    #: words of a partial quote ('said the plan was a "disaster"'), where ``quote`` is true too
    quoted: list[Span] = []
    via: list[str] = []
    #: the cue was found by the learned cue model (a stance: "mocked the plan", "her views on"), not
    #: by the rules; such an attribution is never one of an event's claims
    learned: bool = False


class Actor(_Model):
    name: str
    entity: str | None = None
    text: str | None = None
    inter: int | None = Field(default=None, ge=1, le=8)


class EventDate(_Model):
    value: str | None = None
    precision: Precision | None = None
    text: str | None = None
    #: last day of a range the text states ("between Monday and Wednesday", "from 3 to 5 May")
    until: str | None = None


class Location(_Model):
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: Literal[1, 2, 3] | None = None
    text: str | None = None


class Count(_Model):
    """A reported number: "at least 5" is min 5, max null; "5" is min 5, max 5."""

    min: int
    max: int | None = None


class CasualtyReport(_Model):
    """One figure as one voice gives it: "5 killed, according to police" and "9, the hospital said"
    are two reports of one event's toll."""

    killed: Count | None = None
    injured: Count | None = None
    #: the attribution that gives the figure; null when the article states it in its own voice
    claim: str | None = None
    source: str | None = None  # that attribution's source, as written
    evidence: list[Span] = []


class Casualties(_Model):
    killed: Count | None = None
    injured: Count | None = None
    civilians_killed: Count | None = None
    civilians_injured: Count | None = None
    #: each figure with who gives it (extension of contract 1; the ranges above span them all)
    reports: list[CasualtyReport] = []


class Event(_Model):
    id: str
    event_type: EventType
    sub_event_type: SubEventType
    plover: str | None = None
    context: Context = Context.UNKNOWN
    actor1: Actor
    actor2: Actor | None = None
    assoc_actor_1: list[str] = []
    assoc_actor_2: list[str] = []
    date: EventDate = EventDate()
    location: Location = Location()
    fatalities: int = 0
    casualties: Casualties = Casualties()
    status: Status = Status.REPORTED
    claims: list[str] = []
    evidence: list[Span] = []
    confidence: float = Field(default=0.5, ge=0.0, le=1.0)


class PipelineInfo(_Model):
    """What made a record: the sitroom version and a digest of the settings that change what it
    extracts (spaCy pipeline and version, event typer, actor file, gazetteer additions). Two records
    with the same ``settings`` and version come from the same pipeline; `sitroom reprocess --stale`
    re-extracts the others."""

    version: str
    settings: str = Field(description="first 16 hex digits of a SHA-256 over the settings")
    spacy_model: str | None = None


class Record(_Model):
    """What `sitroom extract` prints for one document."""

    contract: Literal[1] = 1
    document: DocumentInfo
    entities: list[Entity] = []
    dates: list[DateExpr] = []
    places: list[Place] = []
    attributions: list[Attribution] = []
    events: list[Event] = []
    pipeline: PipelineInfo | None = None


class IncidentReport(_Model):
    """One document's account of an incident: a line of the incident's timeline."""

    document: str
    published: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    #: the document's event that is this incident (its main event)
    event: str | None = None
    sub_event_type: SubEventType | None = None
    date: str | None = None
    location: str | None = None
    killed: Count | None = None
    injured: Count | None = None
    status: Status = Status.REPORTED
    #: who the document says gives its account (claim sources; empty when the outlet tells it itself)
    speakers: list[str] = []


class IncidentValue(_Model):
    """One value a field takes in some of an incident's reports, and who says so."""

    value: str | int | None
    documents: list[str]
    sources: list[str] = []


class Contradiction(_Model):
    """A field on which the reports disagree ("killed": 3 per police, 5 per the hospital)."""

    field: str
    values: list[IncidentValue]


class IncidentSource(_Model):
    """An independent voice: a news outlet, or a party the reports quote (a relay is not a source)."""

    name: str
    kind: Literal["outlet", "speaker"]
    documents: list[str]


class Incident(_Model):
    """Many reports of one event merged: `sitroom incidents` prints these (docs/incidents.md)."""

    contract: Literal[1] = 1
    id: str
    #: the documents whose main event is this incident, with the ids of duplicates stored as aliases
    documents: list[str]
    #: documents whose main event is another, which mention this one among their other events
    mentioned_in: list[str] = []
    event_type: EventType
    sub_event_type: SubEventType
    actor1: str | None = None
    actor2: str | None = None
    date: EventDate = EventDate()
    location: Location = Location()
    #: the latest report's death toll (tolls rise as reports come in); the range is under casualties
    fatalities: int = 0
    casualties: Casualties = Casualties()
    status: Status = Status.REPORTED
    sources: list[IncidentSource] = []
    contradictions: list[Contradiction] = []
    first_reported: str | None = None
    last_reported: str | None = None
    #: the reports, oldest first
    reports: list[IncidentReport] = []


def json_schema(kind: str = "record") -> dict[str, object]:
    """The JSON Schema of one record (or of one incident), as `sitroom schema` prints it."""
    return Incident.model_json_schema() if kind == "incident" else Record.model_json_schema()
