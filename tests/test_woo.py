"""Woo: robots.txt leads to a sitemap index, the index to sitemaps, and every sitemap entry's
DiWoo metadata is valid against the DiWoo 0.9.8 XSD (kept in tests/sources/diwoo/)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from dossier_factory import base_files, line_of, replace, write
from lxml import etree

from convenantgen.cli import main
from convenantgen.context.dossier import build_context
from convenantgen.context.publication import published_documents
from convenantgen.context.site import Download
from convenantgen.read.load import load_content
from convenantgen.read.project import load_project
from convenantgen.site.engine import render_site_sources
from convenantgen.site.woo import DIWOO_NS, SITEMAP_NS

ROOT = Path(__file__).resolve().parents[1]
XSD_DIR = ROOT / "tests" / "sources" / "diwoo"
MDTO_URL = "https://www.nationaalarchief.nl/mdto/MDTO-XML1.0.1.xsd"
SITE = "https://convenanten.example.org/"
OCW = "https://identifier.overheid.nl/tooi/id/ministerie/mnre1109"
NS = {"s": SITEMAP_NS, "diwoo": DIWOO_NS}


class _Offline(etree.Resolver):
    """The XSD imports MDTO from the network; tests have none, so it resolves to a stub."""

    def resolve(self, url, pubid, context):
        if url == MDTO_URL:
            return self.resolve_filename(str(XSD_DIR / "mdto-stub.xsd"), context)
        return None


@pytest.fixture(scope="module")
def diwoo_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_Offline())
    return etree.XMLSchema(etree.parse(str(XSD_DIR / "diwoo-metadata.xsd"), parser))


def _site_files(settings_changes: dict) -> dict[str, str | bytes]:
    project = load_project(ROOT / "convenantgen.yml")
    project = dataclasses.replace(
        project, settings=dataclasses.replace(project.settings, **settings_changes)
    )
    loaded = load_content(ROOT / "content")
    assert not loaded.report.errors
    # The manifest entries of a build with PDFs: every published document's PDF.
    downloads = [
        Download(d.id, "agreement-pdf", f"{d.id}/{p.stem}.pdf", "", "")
        for d in loaded.dossiers
        for p in published_documents(d, project.settings, build_context(d))
    ]
    files, _ = render_site_sources(
        loaded.dossiers, downloads=downloads, reference_date=dt.date(2026, 12, 1), project=project
    )
    return files


def test_robots_index_and_sitemaps_chain_and_validate(diwoo_schema):
    files = _site_files(
        {
            "organisation": "ministerie van Onderwijs, Cultuur en Wetenschap",
            "organisation_tooi": OCW,
        }
    )
    robots = str(files["robots.txt"]).splitlines()
    pages, index_url = [line.split(": ", 1)[1] for line in robots if line.startswith("Sitemap:")]
    assert pages == SITE + "sitemap.xml"  # MkDocs writes it
    assert index_url == SITE + "sitemapindex-woo.xml"
    index = etree.fromstring(str(files[index_url.removeprefix(SITE)]).encode())
    sitemaps = index.xpath("/s:sitemapindex/s:sitemap/s:loc/text()", namespaces=NS)
    assert sitemaps == [f"{SITE}sitemap-woo-{d}.xml" for d in sorted(_dossier_ids())]
    entries = 0
    titles = set()
    for loc in sitemaps:
        urlset = etree.fromstring(str(files[loc.removeprefix(SITE)]).encode())
        assert urlset.tag == f"{{{SITEMAP_NS}}}urlset"
        for url in urlset.findall("s:url", NS):
            target = url.findtext("s:loc", namespaces=NS)
            assert target.startswith(SITE + "downloads/") and target.endswith(".pdf")
            (document,) = url.findall("diwoo:Document", NS)
            diwoo_schema.assertValid(etree.ElementTree(document))
            meta = document.find("diwoo:DiWoo", NS)
            category = meta.find(".//diwoo:informatiecategorie", NS)
            assert category.get("resource").endswith("/c_8fc2335c") and category.text == (
                "convenanten"
            )
            assert meta.find("diwoo:publisher", NS).get("resource") == OCW
            titles.add(meta.findtext("diwoo:titelcollectie/diwoo:officieleTitel", namespaces=NS))
            entries += 1
    # Six agreements and two accession notices in the bundled content.
    assert entries == 8
    assert "Convenant financiering bestrijding besmettelijke dierziekten 2020–2024" in titles


def _dossier_ids() -> list[str]:
    return [p.name for p in (ROOT / "content").iterdir() if (p / "dossier.yaml").is_file()]


def test_metadata_of_the_almere_addendum(diwoo_schema):
    files = _site_files({})
    urlset = etree.fromstring(str(files["sitemap-woo-almere.xml"]).encode())
    (meta,) = urlset.xpath(
        "//s:url[contains(s:loc, 'almere-addendum-2024.pdf')]/diwoo:Document/diwoo:DiWoo",
        namespaces=NS,
    )
    # Without a publishing organisation the responsible party (woo.responsible) publishes.
    for tag in ("publisher", "verantwoordelijke"):
        assert meta.find(f"diwoo:{tag}", NS).get("resource") == OCW
    partners = meta.findall("diwoo:medeverantwoordelijken/diwoo:medeverantwoordelijke", NS)
    assert [p.get("resource") for p in partners] == [
        OCW,  # the Minister voor PVO belongs to OCW too
        "https://identifier.overheid.nl/tooi/id/gemeente/gm0034",
    ]
    assert meta.findtext("diwoo:identifiers/diwoo:identifier", namespaces=NS) == (
        "stcrt-2024-21836"
    )
    actions = meta.findall("diwoo:documenthandelingen/diwoo:documenthandeling", NS)
    assert [a.findtext("diwoo:atTime", namespaces=NS) for a in actions] == [
        "2024-07-01T00:00:00",
        "2024-07-01T00:00:00",
        "2024-07-03T00:00:00",
        "2024-07-04T00:00:00",
        "2024-07-08T00:00:00",
    ]
    assert {a.findtext("diwoo:soortHandeling", namespaces=NS) for a in actions} == {"ondertekening"}
    relation = meta.find("diwoo:documentrelaties/diwoo:documentrelatie/diwoo:relation", NS)
    assert relation.get("resource") == "stcrt-2020-38286"
    keys = urlset.xpath(
        "//s:url[contains(s:loc, 'almere-addendum-2024.pdf')]//diwoo:extraMetadataveld",
        namespaces=NS,
    )
    values = {
        k.findtext("diwoo:key", namespaces=NS): k.xpath(
            "diwoo:values/diwoo:value/text()", namespaces=NS
        )
        for k in keys
    }
    assert values["publicatiedatum-staatscourant"] == ["2024-07-25"]
    assert len(values["partij"]) == 16


def test_predecessor_is_the_cited_covenant(diwoo_schema):
    files = _site_files({})
    urlset = etree.fromstring(str(files["sitemap-woo-dierziekten-lnv.xml"]).encode())
    relation = urlset.find(".//diwoo:documentrelatie/diwoo:relation", NS)
    assert relation.text == "Convenant financiering bestrijding besmettelijke dierziekten 2015–2019"
    assert relation.get("resource") == "kst-29683-198"


def test_a_wrong_identifier_fails_the_xsd(diwoo_schema):
    """The validation has teeth: an organisation outside the TOOI lists is rejected."""
    files = _site_files({"organisation": "Ministerie", "organisation_tooi": OCW[:-4] + "9999"})
    urlset = etree.fromstring(str(files["sitemap-woo-almere.xml"]).encode())
    document = urlset.find(".//diwoo:Document", NS)
    assert not diwoo_schema.validate(etree.ElementTree(document))
    assert "mnre9999" in str(diwoo_schema.error_log.last_error)


def test_without_site_url_no_sitemaps_and_a_warning(tmp_path, capsys):
    files = _site_files({"site_url": None})
    assert str(files["robots.txt"]) == "User-agent: *\nAllow: /\n"
    assert not [name for name in files if "sitemap" in name]
    project = write(tmp_path / "p", {"convenantgen.yml": "site: {name: Proef}\n"})
    write(project / "content" / "proef", base_files())
    out = tmp_path / "out"
    args = ["build", "--project", str(project), "--out", str(out), "--no-pdf", "--no-cache"]
    assert main([*args, "--quiet", "--reference-date", "2024-09-01"]) == 0
    err = capsys.readouterr().err
    assert "warning [site-url-missing] site.url is not set" in err
    assert (out / "site" / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"


def test_bad_tooi_and_woo_ground_are_diagnostics(tmp_path, capsys):
    files = replace(
        base_files(),
        "partijen.yaml",
        "    kind: schoolbestuur\n    group: besturen\n    representative: {name: A. Jansen",
        "    kind: schoolbestuur\n    tooi: gm0034\n    group: besturen\n"
        "    representative: {name: A. Jansen",
    )
    files = replace(
        files,
        "dossier.yaml",
        "pillars:\n",
        "woo:\n  responsible: bestuur-x\n  withheld:\n"
        "    - {part: bijlage 2, ground: 5.1.2.z}\n"
        "pillars:\n",
    )
    folder = write(tmp_path / "proef", files)
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    tooi_line = line_of(files["partijen.yaml"], "tooi: gm0034")
    assert (
        f"partijen.yaml:{tooi_line}:11: error [schema-value] parties[0].tooi: 'gm0034' is not a "
        "TOOI organisation identifier: use the URI from identifier.overheid.nl, e.g. "
        "https://identifier.overheid.nl/tooi/id/gemeente/gm0034" in out
    )
    ground_line = line_of(files["dossier.yaml"], "5.1.2.z")
    assert (
        f"dossier.yaml:{ground_line}:33: error [schema-value] woo.withheld[0].ground: '5.1.2.z' "
        "is not a Woo ground: write the article as 5.1.LID.LETTER (e.g. 5.1.2.e), 5.1.5 or "
        "5.2.1. Did you mean '5.1.2.i'?" in out
    )


def test_responsible_party_and_withheld_document_must_exist(tmp_path, capsys):
    files = replace(
        base_files(),
        "dossier.yaml",
        "pillars:\n",
        "woo:\n  responsible: bestuur-x\n  withheld:\n"
        "    - {part: bijlage 3, ground: 5.1.2.e, document: basiss}\n"
        "pillars:\n",
    )
    folder = write(tmp_path / "proef", files)
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    text = files["dossier.yaml"]
    assert (
        f"dossier.yaml:{line_of(text, 'responsible:')}:16: error [woo-responsible] "
        "woo.responsible 'bestuur-x' is not a party of the registry. Did you mean 'bestuur-c'?"
        in out
    )
    assert (
        f"dossier.yaml:{line_of(text, 'basiss')}:52: error [woo-withheld-document] withheld "
        "part 'bijlage 3' names agreement 'basiss', which the dossier does not have. Did you "
        "mean 'basis'?" in out
    )


def test_responsible_party_needs_a_tooi_identifier(tmp_path, capsys):
    files = replace(
        base_files(), "dossier.yaml", "pillars:\n", "woo: {responsible: bestuur-a}\npillars:\n"
    )
    assert main(["check", str(write(tmp_path / "proef", files))]) == 1
    assert (
        "error [woo-responsible] the responsible party 'bestuur-a' has no tooi identifier"
        in capsys.readouterr().out
    )
