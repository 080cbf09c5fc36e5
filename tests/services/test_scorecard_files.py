"""Scorecard templates and a workspace's scorecard.yaml: listing, installing, loading."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

import cadran
from cadran.core.catalogue import Catalogue
from cadran.core.errors import DataError, DefinitionError, UsageError, WorkspaceError
from cadran.core.scorecard import DEFAULT_PERSPECTIVES, Role, Scorecard
from cadran.core.scorecard_loader import RELATIVE_DATE, load_scorecard
from cadran.core.scoring import Direction
from cadran.services.definitions import load_catalogue
from cadran.services.scorecard_files import (
    DEMO_TEMPLATE,
    install_template,
    list_templates,
    load_workspace_scorecard,
    reference_date,
    scorecard_path,
    template_names,
    template_source,
)
from cadran.services.workspace import Workspace

AS_OF = date(2026, 10, 31)
TEMPLATES = ["awareness", "conversion", "customer-care", "engagement", "social-media-bsc"]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    catalogue, issues = load_catalogue()
    assert not issues.errors
    return catalogue


def _template(name: str, catalogue: Catalogue) -> Scorecard:
    source = template_source(name)
    card, issues = load_scorecard(source.text, source.name, catalogue.kpis, as_of=AS_OF)
    assert [str(i) for i in issues] == []
    assert card is not None
    return card


def test_the_packaged_templates_are_listed_with_their_titles() -> None:
    assert template_names() == TEMPLATES
    templates = list_templates()
    assert [t.name for t in templates] == TEMPLATES
    titles = {t.name: (t.title.en, t.title.fr) for t in templates}
    assert titles["social-media-bsc"] == (
        "Social media strategy map",
        "Carte stratégique des réseaux sociaux",
    )
    assert titles["awareness"] == ("Brand awareness", "Notoriété de la marque")
    for t in templates:
        assert t.description is not None
        assert t.description.en and t.description.fr
        assert t.file == f"cadran/definitions/scorecards/{t.name}.yaml"


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_is_valid_and_smart(name: str, catalogue: Catalogue) -> None:
    card = _template(name, catalogue)
    indicators = list(card.indicators())
    assert indicators
    assert len(indicators) <= card.limits.indicators_total
    for objective in card.objectives:
        assert objective.weight > 0
        assert len(objective.indicators) <= card.limits.indicators_per_objective
        # Results and what drives them: own lagging indicators, and leading ones or drivers.
        assert objective.by_role(Role.LAGGING), objective.id
        assert objective.by_role(Role.LEADING) or objective.drivers, objective.id
        assert objective.description is None or objective.description.fr
    for objective, indicator in indicators:
        where = f"{objective.id}/{indicator.id}"
        assert indicator.smart_gaps == (), where
        assert indicator.weight > 0, where
        assert indicator.start == date(2026, 4, 30), where
        assert indicator.deadline == date(2027, 4, 30), where
        s = indicator.scoring
        if s.direction is Direction.RANGE:
            assert s.low is not None and s.high is not None and s.low < s.high, where
        else:
            assert s.baseline is not None and s.target is not None, where
            better = s.target > s.baseline
            assert better == (s.direction is Direction.MAXIMIZE), where
        assert catalogue.kpis[indicator.kpi].direction.value != "neutral", where
        assert indicator.kpi in catalogue.bound, where


def test_the_default_targets_follow_the_documented_rules(catalogue: Catalogue) -> None:
    """Seed 002's typical band where there is one, else 10 % better than the baseline."""
    bands = {
        kpi: next(b for b in benches[0].bands if b.level.value == "typical")
        for kpi, benches in catalogue.benchmarks.items()
    }
    for name in TEMPLATES:
        for _, indicator in _template(name, catalogue).indicators():
            s = indicator.scoring
            if s.direction is Direction.RANGE:
                assert s.low is not None and s.high is not None
                middle = (s.low + s.high) / 2
                assert s.low == pytest.approx(middle * 0.9)
                assert s.high == pytest.approx(middle * 1.1)
                assert s.tolerance == pytest.approx(middle * 0.1)
            elif indicator.kpi in bands:
                band = bands[indicator.kpi]
                worse, better = (band.low, band.high)
                if s.direction is Direction.MINIMIZE:
                    worse, better = better, worse
                assert (s.baseline, s.target) == (worse, better), indicator.kpi
            else:
                factor = 1.1 if s.direction is Direction.MAXIMIZE else 0.9
                assert s.target == pytest.approx(s.baseline * factor), indicator.kpi


# The seed's map (seed 001, lines ~98-265): objectives by perspective, as the seed names them.
SEED_OBJECTIVES = {
    "stakeholders": [
        ("valuable_business_results", "Réaliser de précieux résultats commerciaux"),
    ],
    "customer": [
        ("personal_interaction", "Interaction personnelle avec la marque"),
        ("engaging_content", "Contenu engageant"),
    ],
    "internal": [
        ("communicate_with_users", "Communiquer avec les utilisateurs des réseaux sociaux"),
        ("publish_engaging_content", "Publier du contenu engageant"),
        ("reach_wider_audience", "Accéder à un auditoire plus large via des publicités payantes"),
    ],
    "learning": [
        ("train_team", "Former l'équipe à interagir sur les réseaux sociaux"),
        (
            "learn_tactics",
            "Apprendre les tactiques de réseaux sociaux qui fonctionnent le mieux pour nous",
        ),
        ("understand_customer_profile", "Comprendre le profil du client"),
    ],
}

# « Partie retardée de l'objectif X »: (driver, driven).
SEED_EDGES = {
    ("engaging_content", "valuable_business_results"),
    ("personal_interaction", "valuable_business_results"),
    ("communicate_with_users", "personal_interaction"),
    ("publish_engaging_content", "engaging_content"),
    ("reach_wider_audience", "engaging_content"),
    ("train_team", "communicate_with_users"),
    ("learn_tactics", "publish_engaging_content"),
    ("understand_customer_profile", "publish_engaging_content"),
}

# The metrics the seed lists for each objective, bound to the catalogue: (kpi, role).
SEED_METRICS = {
    "valuable_business_results": [
        ("qualified_interactions", Role.LAGGING),
        ("social_lead_conversion_rate", Role.LAGGING),
        ("revenue_generated", Role.LAGGING),
    ],
    "personal_interaction": [
        ("public_comments", Role.LAGGING),
        ("private_questions", Role.LAGGING),
        ("avg_comments_per_post", Role.LAGGING),
        ("brand_mentions", Role.LAGGING),
        ("tagged_people", Role.LAGGING),
    ],
    "engaging_content": [
        ("impressions", Role.LAGGING),
        ("profile_visits", Role.LAGGING),
        ("likes", Role.LAGGING),
        ("followers", Role.LAGGING),
        ("direct_traffic", Role.LAGGING),
        ("indirect_traffic", Role.LAGGING),
        ("avg_shares_per_post", Role.LEADING),
    ],
    "communicate_with_users": [
        ("response_time", Role.LAGGING),
        ("complaint_resolution_rate", Role.LAGGING),
    ],
    "publish_engaging_content": [
        ("posts_per_period", Role.LAGGING),
        ("time_on_site", Role.LAGGING),
        ("adjusted_bounce_rate", Role.LAGGING),
        ("formal_readability_index", Role.LEADING),
        ("content_quality_index", Role.LEADING),
    ],
    "reach_wider_audience": [
        ("paid_cost_per_lead", Role.LAGGING),
        ("customer_lifetime_value", Role.LAGGING),
        ("social_media_budget", Role.LEADING),
    ],
}


def test_the_social_media_template_is_the_seed_strategy_map(catalogue: Catalogue) -> None:
    card = _template(DEMO_TEMPLATE, catalogue)
    assert [(p.id, p.name) for p in card.perspectives] == list(DEFAULT_PERSPECTIVES)
    assert {
        p: [(o.id, o.name.fr) for o in card.in_perspective(p)] for p in SEED_OBJECTIVES
    } == SEED_OBJECTIVES
    assert len(card.objectives) == 9
    edges = {(link.objective, o.id) for o in card.objectives for link in o.drivers}
    assert edges == SEED_EDGES
    assert all(link.weight == 1 for o in card.objectives for link in o.drivers)
    for objective_id, metrics in SEED_METRICS.items():
        objective = card.objective(objective_id)
        assert objective is not None
        assert [(i.kpi, i.role) for i in objective.indicators] == metrics, objective_id
    # The learning objectives have no metric in the seed: Cadran gives each a lagging and a
    # leading indicator, and the file says so.
    for objective in card.in_perspective("learning"):
        assert [i.role for i in objective.indicators] == [Role.LAGGING, Role.LEADING]
    text = template_source(DEMO_TEMPLATE).text
    assert text.count("Cadran's choice, not the seed's") == 3
    # The seed's content mix is in the description of « publish engaging content ».
    publish = card.objective("publish_engaging_content")
    assert publish is not None and publish.description is not None
    for topic in (
        "information sur les produits",
        "promotions",
        "contenu utile",
        "contenu divertissant",
        "contenu sur le style de vie",
    ):
        assert topic in publish.description.fr
    # Seed 001: « Orientez votre attention sur le nombre d'interactions qualifiées ».
    assert [i.weight for i in card.objectives[0].indicators] == [2, 1, 1]


# -- installing ---------------------------------------------------------------------------------
def test_an_unknown_template_is_a_usage_error_listing_them() -> None:
    with pytest.raises(UsageError, match="the templates are: awareness, conversion") as exc:
        template_source("awarness")
    assert "did you mean 'awareness'?" in str(exc.value)


def test_installing_writes_the_dates_and_keeps_an_existing_scorecard(
    workspace: Workspace,
) -> None:
    path = install_template(workspace, "engagement", as_of=AS_OF)
    assert path == scorecard_path(workspace) == workspace.folder.root / "scorecard.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# From Cadran's scorecard template 'engagement'; its relative dates were counted\n"
        "# from 2026-10-31.\n"
    )
    values = re.findall(r"^\s*(?:start|deadline): (.*)$", text, flags=re.MULTILINE)
    assert values == ["2026-04-30", "2027-04-30"]
    assert not any(RELATIVE_DATE.match(v) for v in values)
    card = workspace.scorecard()
    assert card.file == str(path)
    assert [o.id for o in card.objectives] == ["business_results", "engage_audience"]
    assert {(i.start, i.deadline) for _, i in card.indicators()} == {
        (date(2026, 4, 30), date(2027, 4, 30))
    }
    # The goals stay where they were set, whatever the date the file is read.
    assert workspace.scorecard(today=date(2030, 1, 1)) == card

    with pytest.raises(WorkspaceError, match="already exists; keep it, or replace it"):
        install_template(workspace, "awareness", as_of=AS_OF)
    assert path.read_text(encoding="utf-8") == text
    install_template(workspace, "awareness", as_of=AS_OF, force=True)
    assert [o.id for o in workspace.scorecard().objectives] == [
        "business_results",
        "grow_awareness",
    ]
    assert not list(path.parent.glob(".scorecard-*"))  # no temporary file left behind


def test_relative_dates_count_from_the_end_of_the_data(workspace: Workspace) -> None:
    assert reference_date(workspace, today=date(2026, 3, 5)) == date(2026, 3, 5)
    workspace.add(
        "posts",
        [{"platform": "x", "account": "@a", "native_id": "1", "published_at": "2026-07-14T10:00"}],
    )
    assert reference_date(workspace, today=date(2026, 3, 5)) == date(2026, 7, 14)
    path = install_template(workspace, "customer-care")
    assert "# from 2026-07-14." in path.read_text(encoding="utf-8")
    # A team may write relative dates in its own file: they count from the end of the data.
    path.write_text(
        "name: Own\nsettings:\n  defaults: {start: -1 month, deadline: +1 month}\n"
        "objectives:\n  - id: o\n    name: O\n    perspective: customer\n    indicators:\n"
        "      - {kpi: likes, baseline: 1, target: 2}\n",
        encoding="utf-8",
    )
    ((_, indicator),) = workspace.scorecard().indicators()
    assert (indicator.start, indicator.deadline) == (date(2026, 6, 14), date(2026, 8, 14))


def test_a_missing_scorecard_says_how_to_get_one(workspace: Workspace) -> None:
    with pytest.raises(WorkspaceError, match=r"has no scorecard\.yaml yet") as exc:
        workspace.scorecard()
    assert "--template NAME` (templates: awareness, conversion, customer-care" in str(exc.value)


def test_a_broken_scorecard_reports_every_problem_with_file_and_line(
    workspace: Workspace,
) -> None:
    path = scorecard_path(workspace)
    path.write_text(
        "name: Broken\nobjectives:\n  - id: a\n    name: A\n    perspective: customr\n"
        "    indicators:\n      - {kpi: likez}\n      - {kpi: likes, weight: -1}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as exc:
        workspace.scorecard()
    issues = exc.value.issues.errors
    assert [(i.file, i.line, i.field) for i in issues] == [
        (str(path), 5, "perspective"),
        (str(path), 7, "kpi"),
        (str(path), 8, "weight"),
    ]
    assert "did you mean 'customer'?" in str(issues[0])
    assert "did you mean 'likes'?" in str(issues[1])
    assert str(exc.value).endswith("(and 2 more problem(s))")


def test_a_scorecard_that_is_not_text_is_a_data_error(workspace: Workspace) -> None:
    scorecard_path(workspace).write_bytes(b"name: \xff\xfe\n")
    with pytest.raises(DataError, match="not UTF-8 text"):
        workspace.scorecard()


def test_warnings_do_not_stop_loading(workspace: Workspace) -> None:
    scorecard_path(workspace).write_text(
        "name: x\nobjectives:\n  - id: a\n    name: A\n    perspective: customer\n"
        "    indicators:\n      - {kpi: followers_by_age, baseline: 1, target: 2}\n",
        encoding="utf-8",
    )
    card, warnings = load_workspace_scorecard(workspace)
    assert [i.line for i in warnings] == [7]
    assert card.objectives[0].indicators[0].scoring.direction is Direction.MAXIMIZE


def test_the_demo_workspace_has_the_seed_strategy_map(demo_s: Path) -> None:
    text = (demo_s / "scorecard.yaml").read_text(encoding="utf-8")
    assert "template 'social-media-bsc'; its relative dates were counted\n# from 2026-10-31." in (
        text
    )
    with cadran.open(demo_s) as ws:
        card = ws.scorecard()
    assert len(card.objectives) == 9
    assert {(i.start, i.deadline) for _, i in card.indicators()} == {
        (date(2026, 4, 30), date(2027, 4, 30))
    }


def test_the_format_example_of_the_docs_loads(catalogue: Catalogue) -> None:
    doc = (Path(__file__).parents[2] / "docs" / "scorecard.md").read_text(encoding="utf-8")
    example = doc.split("## The file format\n\n```yaml\n")[1].split("```")[0]
    card, issues = load_scorecard(example, "scorecard.md", catalogue.kpis)
    assert [str(i) for i in issues] == []
    assert card is not None
    assert [p.id for p in card.perspectives] == ["stakeholders", "customer"]
    assert [(d.objective, d.weight) for d in card.objectives[0].drivers] == [
        ("engaging_content", 1),
        ("personal_interaction", 2),
    ]
