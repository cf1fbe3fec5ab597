"""The Dutch formulas and phrases an imported covenant is recognised by.

Recognition, not wording: these patterns read published text, they never write it. Headings the
engine itself writes come from the wording (``templates/wording.yml``); the alternatives here
are the ones published covenants use besides them ("De ondergetekenden:", "In aanmerking
nemende:"). Party kinds are enum values recognised from a party's name.
"""

from __future__ import annotations

import re

from babel.dates import get_month_names

from ...text.formatting import LOCALE

PARTIES_HEADINGS = (
    "partijen,",
    "partijen:",
    "de ondergetekenden:",
    "ondergetekenden:",
    "de ondergetekenden,",
    "partijen en mandateringen",
    "partijen",
)
CONSIDERATIONS_HEADINGS = (
    "overwegende dat:",
    "overwegende,",
    "overwegende:",
    "in aanmerking nemende:",
    "in aanmerking nemende dat:",
    "overwegingen",
    "overwegingen:",
)
AGREEMENT_HEADINGS = (
    "spreken het volgende af:",
    "komen het volgende overeen:",
    "komen overeen:",
    "verklaren te zijn overeengekomen:",
    "spreken af:",
    "zijn het volgende overeengekomen:",
)
SEPARATORS = ("en", "en,")
# A part's numeral on a line of its own ("I", "II"): part_numerals.
ROMAN_RE = re.compile(r"^(?=[IVXLC])(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})$")
# A separator run into the first line of the next block: "En de sectorpartijen:".
RUN_IN_RE = re.compile(r"^(?P<separator>En|en),?\s+(?P<rest>(?:de|het|De|Het)\s.+)$")
# ", en" between two signers of one party ("voorzitter, en de heer E. Stiphout").
COMMA_AND_RE = re.compile(r",\s+en\s+$")

# "hierna: de Ministers;", "hierna te noemen ‘het Rijk’;", "verder te noemen: partijen;"
DESIGNATION_RE = re.compile(
    r"(?:,\s*)?\b(?P<formula>(?:hierna|verder)(?: gezamenlijk)?(?: te noemen)?:?)"
    r"\s+(?P<designation>[^;]+?)\s*;?\s*$"
)
COLLECTIVE_RE = re.compile(
    r"^(?P<formula>verder(?: gezamenlijk)?(?: te noemen)?:?)\s+(?P<designation>[^;]+?)\s*;?$"
)
# A closing over a range of numbered parties: "Partijen 1 tot en met 5, hierna ...".
RANGE_RE = re.compile(
    r"^(?P<word>[A-Z]\w+) (?P<first>\d+) tot en met (?P<last>\d+),?\s+(?P<rest>.+)$"
)
REPRESENTED_RE = re.compile(
    r",\s*(?P<prefix>(?:te dezen |hierbij |rechtsgeldig |daartoe )?)vertegenwoordigd door\s+"
)
ALSO_FOR_RE = re.compile(r",\s*tevens handelend namens\s+(?P<body>.+)$")
TITLE_RE = r"(?:de heer|mevrouw|dhr\.|mw\.|mevr\.)"
INITIALS_RE = r"(?:(?:[A-Z]|Th|Ch|IJ)[a-z]?\.\s?)+"
PERSON_RE = re.compile(
    rf"^(?:(?P<title>{TITLE_RE})\s+)?(?P<name>{INITIALS_RE}\s*[A-Za-zÀ-ÿ'’][^,;]*?)\s*[,;]?$"
)
PEOPLE_SPLIT_RE = re.compile(rf"(,?\s+en\s+)(?=(?:{TITLE_RE})\s|{INITIALS_RE}\s*[A-Z])")
# A role written with its article ("het bestuurslid"), role first.
ROLE_ARTICLE_RE = re.compile(r"^(?P<article>de|het)\s+(?P<role>.+)$")
AUTHORITY_START = ("handelend ter uitvoering", "hiertoe gemachtigd", "handelend op grond")
MEMBERS_SPLIT_RE = re.compile(r",\s+en\s+(?=(?:de|het|De|Het)\s)")
CAPACITY_START = ("handelend als", "handelend in de hoedanigheid", "in de hoedanigheid")

CLOSING_RE = re.compile(
    r"^(?:Aldus|Zo) (?:overeengekomen|opgemaakt)(?: en)?(?: in (?P<copies>[a-zë\d-]+voud))? "
    r"(?:ondertekend|getekend)"
    r"(?:,? te (?P<place>[^,]+?))?(?:,? (?:op|d\.d\.) (?P<date>.+?))?\.?$",
    re.I,
)
# The generated footer line: "Versie <id>" alone, or ending a line of title, date and
# reference ("Addendum Almere · 1 juli 2024 · … · versie <id>").
FOOTER_RE = re.compile(r"^(?:.* · )?[Vv]ersie [0-9a-f]{8,}$")
CITATION_RE = re.compile(
    r"\(?\s*Stcrt\.\s*(?P<year>\d{4}),?\s*(?:nr\.\s*)?(?P<number>\d{1,7})\s*\)?"
)
ADDENDUM_TITLE_RE = re.compile(
    r"^(?:ADDENDUM|Addendum|Wijziging)\b(?: bij| op| van)? (?:het )?(?P<covenant>.+)$"
)

SECTION_RE = re.compile(r"^(?:Artikel\s+)?(?P<number>\d+)\.?\s+(?P<title>[A-Z][^.;:]{1,100})$")
# "Artikel 3" with no title after it (the heading of an article that has none).
UNTITLED_SECTION_RE = re.compile(r"^Artikel\s+(?P<number>\d+)\.?$")
CLAUSE_RE = re.compile(r"^(?P<section>\d+)\.(?P<number>\d+)\.?\s+(?P<text>.+)$")
ARTICLE_RE = re.compile(r"^Artikel\s+(?P<number>\d+[a-z]?)(?:\s+(?P<title>[^.;]+))?$")
PART_RE = re.compile(r"^Artikel\s+(?P<number>\d+(?:\.\d+)+)\.?(?:\s+(?P<title>[^.;]+))?$")
ADD_RE = re.compile(
    r"^Aan [Aa]rtikel (?P<number>\d+[a-z]?) van (?P<amended>het \w+) wordt toegevoegd:$"
)
REPLACE_RE = re.compile(
    r"^[Aa]rtikel (?P<number>\d+[a-z]?) van (?P<amended>het \w+) komt te luiden:$"
)
DEFINITION_RE = re.compile(r"^(?P<letter>[a-z])\.\s+(?P<term>[^:]{1,80}?):\s+(?P<text>.+)$")
MEASURE_RE = re.compile(r"^Maatregel (?P<letter>[A-Z]):\s*(?P<title>.+)$")
WORKED_RE = re.compile(r"^Wat heeft tot nu toe gewerkt en willen de \w+ behouden:?$")
STRENGTHEN_RE = re.compile(r"^Wat gaan de \w+ versterken:?$")
RESULT_RE = re.compile(r"^Beoogde? resultaat?(?:en)?:?$")
# Headings that always start a paragraph, also where a PDF's lines do not show it.
HEADING_START = (
    r"Maatregel [A-Z]:|Artikel \d|Wat heeft tot nu toe|Wat gaan de|Beoogde? resultaat|"
    r"Aldus overeengekomen|Overwegende|Spreken het volgende|Komen het volgende"
)
LIST_TITLE_RE = re.compile(r"^[A-Z][^.]{2,120}:$")

# Month names as the engine writes dates (Babel, Dutch).
MONTHS = [get_month_names("wide", locale=LOCALE)[n] for n in range(1, 13)]
DATE_LONG_RE = re.compile(
    rf"\b(?P<day>\d{{1,2}}) (?P<month>{'|'.join(MONTHS)}) (?P<year>\d{{4}})\b"
)
DATE_NUMERIC_RE = re.compile(r"\b(?P<day>\d{1,2})-(?P<month>\d{1,2})-(?P<year>\d{4})\b")
TERM_START_RE = re.compile(
    rf"(?:treedt|treden) in werking (?:.*?)op (?P<date>{DATE_LONG_RE.pattern})"
)
TERM_END_RE = re.compile(
    r"(?:eindigt op|tot en met|loopt tot|afloopt op|eindigt met ingang van) "
    rf"(?P<date>{DATE_LONG_RE.pattern})"
)
EXTENSION_RE = re.compile(rf"wordt verlengd\b.*?tot en met (?P<date>{DATE_LONG_RE.pattern})")
ARTICLE_REF_RE = re.compile(
    r"\b(?P<word>[Aa]rtikel|art\.) (?P<number>\d+(?:\.\d+)*)(?P<tail> van (?:het|dit) \w+)?"
)

# Measures: "kleiner dan 10%", "minimaal een 7,0", "40 zij-instromers", "75% tevredenheid".
PERCENT_RE = re.compile(r"(?P<value>\d+(?:,\d+)?)\s?%")
PERIOD_RE = re.compile(
    r"(?:in de periode )?van (?P<start>\d{1,2}-\d{1,2}-\d{4}) (?:t/m|tot en met) "
    r"(?P<end>\d{1,2}-\d{1,2}-\d{4})"
)
LESS_WORDS = ("kleiner dan", "onder de", "minder dan", "lager dan", "< ")
AT_LEAST_WORDS = ("minimaal", "ten minste", "tenminste", "handhaven van", "doel is")
ALL_WORDS = ("alle ",)

# Finance: "de rundveesector: € 23.500.000;" "Totaal: circa € 9,4 miljoen."
FINANCE_ITEM_RE = re.compile(
    r"^(?P<label>[^:€]{1,80}):\s+(?P<approx>circa )?"
    r"(?P<value>€ ?[\d.]+(?:,\d+)?(?: miljoen)?|\d+(?:,\d+)?%)"
    r"(?: (?P<per>per (?:kalenderjaar|schooljaar|jaar|kwartaal|maand)))?"
    r"(?:, waarvan (?P<parts>.+?))?(?P<end>[;.])$"
)
FINANCE_TOTAL_LABELS = ("totaal", "samen", "in totaal")

PARTY_KINDS = (
    # (pattern on the name, kind), first match wins
    (re.compile(r"\bMinister|\bStaatssecretaris", re.I), "minister"),
    (re.compile(r"burgemeester en wethouders|\bgemeente\b", re.I), "gemeente"),
    (re.compile(r"Gedeputeerde Staten|\bprovincie\b", re.I), "provincie"),
    (re.compile(r"Waterschap|Wetterskip|Hoogheemraadschap", re.I), "waterschap"),
    (re.compile(r"Hogeschool|Universiteit|lerarenopleiding|Pabo", re.I), "lerarenopleiding"),
    (re.compile(r"samenwerkingsverband", re.I), "samenwerkingsverband"),
    (re.compile(r"brancheorganisatie", re.I), "brancheorganisatie"),
    (re.compile(r"co[öo]peratie", re.I), "cooperatie"),
    (re.compile(r"\bB\.V\.|\bN\.V\.|\bbv\b", re.I), "onderneming"),
    (re.compile(r"vereniging", re.I), "vereniging"),
    (re.compile(r"^(?:de |het )?(?:stichting|stg\.)", re.I), "stichting"),
    (re.compile(r"\bbestuursorgaan\b|\bdirecteur\b", re.I), "bestuursorgaan"),
)
# A group heading that tells its members' kind ("de schoolbesturen", "Waterschappen:").
GROUP_KINDS = (
    (re.compile(r"schoolbestu", re.I), "schoolbestuur"),
    (re.compile(r"lerarenopleiding", re.I), "lerarenopleiding"),
    (re.compile(r"waterschap", re.I), "waterschap"),
    (re.compile(r"provincie", re.I), "provincie"),
    (re.compile(r"gemeente", re.I), "gemeente"),
    (re.compile(r"minister", re.I), "minister"),
)

# Considerations that start a new item even without a bullet.
CONSIDERATION_START_RE = re.compile(r"^(dat|De|Het|Partijen)\b")
PER_SCHOOL_YEAR_RE = re.compile(r"\bper schooljaar\b")
SCHOOL_YEAR_RE = re.compile(r"schooljaar")
COVENANT_ARTICLE_RE = re.compile(r"art(?:ikel|\.) (?P<number>\d+) van het Convenant")
FOLLOWS_RE = re.compile(r"\baansluitend\b")  # the addendum follows the covenant's term
EXPIRES_RE = re.compile(rf"afloopt op (?P<date>{DATE_LONG_RE.pattern})")
ACCESSION_RE = re.compile(r"toetred", re.I)
MAY_RE = re.compile(r"\bkunnen\b")
SEND_TO_RE = re.compile(r"aan (het Ministerie van [\w ]+?) (?:toegestuurd|gezonden|verstuurd)")
PUBLICATION_RE = re.compile(r"Staatscourant")
WITHIN_DAYS_RE = re.compile(r"binnen (\d+) dagen")
ARTICLE_WORD_RE = re.compile(r"^Artikel\b")

# Amendment instructions of an addendum (aanwijzingen voor de regelgeving, 6.2 "wijziging"),
# each optionally preceded by the addendum's own clause number ("2.1.") or an item letter ("a.").
_LEAD = r"^(?:(?:\d+(?:\.\d+)*|[a-zA-Z]|[IVX]+)\.?\s+)?"
_OF = r"(?:\s+van\s+(?:het|de)\s+\w+)?"
ALTER_RE = re.compile(
    _LEAD + rf"[Aa]rtikel\s+(?P<number>\d+[a-z]?){_OF}\s+wordt als volgt gewijzigd:?$"
)
REMOVE_RE = re.compile(_LEAD + rf"[Aa]rtikel\s+(?P<number>\d+[a-z]?){_OF}\s+vervalt\.?$")
INSERT_RE = re.compile(
    _LEAD + rf"[Nn]a\s+[Aa]rtikel\s+(?P<number>\d+[a-z]?){_OF}\s+wordt\s+een\s+(?:nieuw\s+)?"
    r"artikel\s+ingevoegd(?:,\s+luidende)?:?$"
)
ORDINALS = (
    "eerste",
    "tweede",
    "derde",
    "vierde",
    "vijfde",
    "zesde",
    "zevende",
    "achtste",
    "negende",
    "tiende",
)
_ORDINAL = r"(?P<ordinal>" + "|".join(ORDINALS) + r")"
MEMBER_REPLACE_RE = re.compile(
    _LEAD + rf"[Hh]et\s+{_ORDINAL}\s+lid\s+komt\s+te\s+luiden:\s*(?P<text>.*)$"
)
MEMBER_REMOVE_RE = re.compile(_LEAD + rf"[Hh]et\s+{_ORDINAL}\s+lid\s+vervalt\.?$")
MEMBER_ADD_RE = re.compile(
    _LEAD + r"(?:[Ee]r\s+wordt\s+een|[Aa]an\s+het\s+artikel\s+wordt\s+een)\s+lid\s+toegevoegd"
    r"(?:,\s+luidende)?:\s*(?P<text>.*)$"
)
# "Artikel 4, tweede lid, komt te luiden: ..." / "... vervalt.": one member, named in the line.
ARTICLE_MEMBER_REPLACE_RE = re.compile(
    _LEAD + rf"[Aa]rtikel\s+(?P<number>\d+[a-z]?),\s+{_ORDINAL}\s+lid,{_OF}\s+komt\s+te\s+"
    r"luiden:\s*(?P<text>.*)$"
)
ARTICLE_MEMBER_REMOVE_RE = re.compile(
    _LEAD + rf"[Aa]rtikel\s+(?P<number>\d+[a-z]?),\s+{_ORDINAL}\s+lid,{_OF}\s+vervalt\.?$"
)
ADD_MEMBER_TO_RE = re.compile(
    _LEAD + rf"[Aa]an\s+[Aa]rtikel\s+(?P<number>\d+[a-z]?){_OF}\s+wordt\s+een\s+lid\s+toegevoegd"
    r"(?:,\s+luidende)?:\s*(?P<text>.*)$"
)

# Ids and placeholder titles the import writes where the source gives none (each a guess,
# reported): the id prefix of considerations, an article without a title, the term article.
CONSIDERATION_ID = "overweging"
PLACEHOLDER_TITLE = "Artikel"
TERM_TITLE = "Looptijd"

# What an article regulates, from its title (topics for the Aanwijzingen profile).
TOPIC_TITLES = (
    (re.compile(r"\bdefinitie|begripsbepaling", re.I), "definitions"),
    (re.compile(r"looptijd|inwerkingtreding|duur\b", re.I), "term"),
    (re.compile(r"verlenging", re.I), "extension"),
    (re.compile(r"opzegging|be[eë]indiging|uittreding|ontbinding", re.I), "termination"),
    (re.compile(r"toetreding", re.I), "accession"),
    (re.compile(r"wijziging", re.I), "amendment"),
    (re.compile(r"evaluatie", re.I), "evaluation"),
    (re.compile(r"geschil", re.I), "disputes"),
    (re.compile(r"afdwingbaar|nakoming", re.I), "enforceability"),
    (re.compile(r"publicatie|openbaarmaking|bekendmaking", re.I), "publication"),
    (re.compile(r"financi|kosten|bijdrage", re.I), "finance"),
    (re.compile(r"monitoring|rapportage|verantwoording", re.I), "monitoring"),
)
