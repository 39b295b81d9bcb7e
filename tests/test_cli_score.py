"""`python -m assessment score` end to end, in a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assessment", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


CASE = """\
profile: adult_sexual
observations:
  - {discipline: police, indicator: deceptive_recruitment.nature_of_job, status: present, source: "PV 2018-113"}
  - {discipline: care, indicator: deceptive_recruitment.wages, status: present, source: "intake"}
  - {discipline: police, indicator: exploitation.low_salary, status: present}
  - {discipline: care, indicator: exploitation.living_conditions, status: present}
  - {discipline: medical, indicator: exploitation.hazardous_work, status: present}
  - {discipline: police, indicator: coercion_destination.documents, status: present}
  - {discipline: care, indicator: coercion_destination.documents, status: absent}
  - {discipline: police, indicator: coercion_destination.forced_tasks, status: present}
"""


def test_score_json(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(CASE)
    out = run("score", str(case), "--rubric", "pilot_data/rubrics/ilo-2009.yaml", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {
        "outcome", "dimensions", "profile", "rubric", "contested", "could_change", "per_discipline", "points",
        "explanation",
    }
    assert data["outcome"] == "plausible"
    assert data["profile"] == "adult_sexual"
    assert data["dimensions"]["coercion_destination"] == "positive"
    assert data["contested"] == ["coercion_destination.documents"]
    assert data["could_change"] == []
    assert data["per_discipline"] == {"police": "undetermined", "care": "undetermined", "medical": "undetermined"}
    assert data["rubric"]["id"] == "ilo-2009"


def test_the_default_instrument_is_the_legal_test(tmp_path: Path) -> None:
    # without --rubric the CLI scores the elements of art. 273f Sr (gedraging, middel, oogmerk van uitbuiting)
    case = tmp_path / "case.yaml"
    case.write_text(CASE)
    out = run("score", str(case), "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["rubric"]["id"] == "legal-273f"
    assert set(data["elements"]) == {"conduct", "means", "purpose"}


def test_score_json_input_with_consolidated_indicators(tmp_path: Path) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"indicators": {"exploitation.excessive_hours": "present"}}))
    out = run("score", str(case), "--profile", "child_labour", "--rubric", "pilot_data/rubrics/ilo-2009.yaml", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert (data["outcome"], data["dimensions"]["exploitation"]) == ("undetermined", "undetermined")
    assert "exploitation.living_conditions" in data["could_change"]


def test_score_table_in_both_languages(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(CASE)
    nl = run("score", str(case))
    en = run("score", str(case), "--lang", "en")
    assert nl.returncode == en.returncode == 0
    assert "Uitkomst: Aannemelijk" in nl.stdout and "bewijst noch weerlegt" in nl.stdout
    assert "Outcome: Plausible" in en.stdout and "neither proves nor disproves" in en.stdout


def test_score_with_the_police_points_rubric(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("profile: general\nindicators: {}\n")
    out = run("score", str(case), "--rubric", "pilot_data/rubrics/police-signals.yaml", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["outcome"] == "undetermined"


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        (
            "profile: adult_labour\nindicators: {exploitation.nope: present}\n",
            [],
            "error: Unknown indicator 'exploitation.nope' for profile adult_labour",
        ),
        (
            "profile: child_labour\nindicators: {exploitation.social_protection: present}\n",
            ["--rubric", "pilot_data/rubrics/ilo-2009.yaml"],
            "error: Unknown indicator 'exploitation.social_protection' for profile child_labour "
            "(it exists in rubric ilo-2009, but profile child_labour drops it)",
        ),
        (
            "profile: adult_labour\nindicators:\n  exploitation.low_salary: maybe\n",
            [],
            "error: Invalid case file (1 problem):\n  {case}:3: indicator 'exploitation.low_salary': "
            "should be one of: 'present', 'absent', 'unknown', 'not_applicable'",
        ),
        (
            "profile: adult_organs\nindicators: {}\n",
            ["--rubric", "pilot_data/rubrics/ilo-2009.yaml"],
            "error: Unknown profile 'adult_organs' for rubric ilo-2009; known: adult_labour, child_labour, "
            "adult_sexual, child_sexual",
        ),
        ("indicators: {}\n", [], "error: Invalid case file (1 problem):\n  {case}: profile: no profile: give one (or age_group and form) in the file, or --profile"),
        (
            "profile: adult_labour\nindicators: {}\n",
            ["--rubric", "tests/data/rubrics/does-not-exist.yaml"],
            "error: Invalid rubric (1 problem):\n  tests/data/rubrics/does-not-exist.yaml: cannot read file: "
            "No such file or directory",
        ),
    ],
    ids=["unknown-indicator", "dropped-indicator", "unknown-status", "unknown-profile", "no-profile", "no-rubric"],
)
def test_score_errors_exit_2_and_name_the_problem(tmp_path: Path, content: str, extra: list[str], message: str) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(content)
    out = run("--lang", "en", "score", str(case), *extra)  # the messages in English (Dutch: LANG or --lang nl)
    assert out.returncode == 2
    assert out.stdout == ""
    assert out.stderr.strip() == message.format(case=case)


def test_bad_rubric_exits_2_listing_every_problem(tmp_path: Path) -> None:
    text = (ROOT / "tests" / "data" / "rubrics" / "mini.yaml").read_text()
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace('version: "1"', 'version: "1"\ncolour: blue').replace('source: "test fixture"\n', ""))
    case = tmp_path / "case.yaml"
    case.write_text("profile: adult\nindicators: {}\n")
    out = run("--lang", "en", "score", str(case), "--rubric", str(bad))
    assert out.returncode == 2
    assert out.stderr.strip() == (
        f"error: Invalid rubric (2 problems):\n  {bad}:1: source: missing; this field is required\n"
        f"  {bad}:4: 'colour': not a known field here; check the spelling or remove it"
    )
    # The same in Dutch: each problem where and what in the file's own words, no English of pydantic's.
    assert run("--lang", "nl", "score", str(case), "--rubric", str(bad)).stderr.strip() == (
        f"error: Ongeldig bestand (beoordelingsinstrument), 2 problemen:\n  {bad}:1: bron: ontbreekt; dit veld is "
        f"verplicht\n  {bad}:4: 'colour': is hier geen bekend veld; controleer de spelling of verwijder het")


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    from assessment.cli import build_parser, main

    top = run("--help")  # once as a real process
    assert top.returncode == 0
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in sub.choices:  # type: ignore[union-attr]
        assert name in top.stdout
        with pytest.raises(SystemExit) as done:
            main([name, "--help"])
        assert done.value.code == 0, name
        assert capsys.readouterr().out.startswith(f"usage: python -m assessment {name}"), name


def _documented() -> list[Path]:
    from assessment.casefile import read_case_file

    return [p for p in sorted((ROOT / "pilot_data" / "cases").glob("*.yaml"))
            if (e := read_case_file(p).expected) is not None and e.rubric_outcome is not None]  # fmt: skip


DOCUMENTED = _documented()


@pytest.mark.parametrize("path", DOCUMENTED, ids=lambda p: p.stem)
def test_score_reads_the_scoring_part_of_a_whole_case_file(path: Path) -> None:
    """A curated case file scores, through the score file's reader, to the rubric outcome its file
    documents (`expected.rubric_outcome`, written by hand in the file)."""
    from assessment.casefile import parse_score_file, read_case_file
    from assessment.rubric import load_rubric
    from assessment.scoring import score

    cf = read_case_file(path)
    assert cf.expected is not None
    part = parse_score_file(path.read_bytes(), str(path))
    rubric = load_rubric()  # the default instrument, as the case files document
    assert (part.age_group, part.form) == (cf.intake.age_group, cf.intake.form)
    profile = rubric.profile_for(part.age_group, part.form).id  # type: ignore[arg-type]
    assert score(rubric, profile, part.observations or ()).outcome == cf.expected.rubric_outcome
    assert len(DOCUMENTED) >= 5


def test_score_takes_a_whole_case_file_on_the_command_line() -> None:
    path = ROOT / "pilot_data" / "cases" / "04-sexual-decided-positive.yaml"
    out = run("score", str(path), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["outcome"] == "plausible"


def test_score_table_under_the_legal_test_per_element_in_words(tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text("profile: adult_sexual\nobservations:\n"
                    "  - {discipline: police, indicator: act.recruited, status: present}\n"
                    "  - {discipline: police, indicator: deceptive_recruitment.wages, status: present}\n"
                    "  - {discipline: care, indicator: deceptive_recruitment.family_reunification, "
                    "status: not_applicable}\n")
    out = run("score", str(case), "--rubric", "pilot_data/rubrics/legal-273f.yaml")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Uitkomst: Onvoldoende informatie" in text and "Gedraging: ondersteund door de indicatoren" in text  # the vocabulary's element_status
    # one medium deception indicator found: one more strong or medium makes the means
    assert "Middel: onvoldoende informatie\n      nog nodig, een van:\n      - 1 sterke of 1 matige indicator van misleiding" in text
    from assessment.vocabulary import label

    assert f"+ Geworven [sterk] {label('discipline', 'police', 'nl')}" in text  # named as pilot_data/disciplines.yaml
    for code in ("adult_sexual", "police", "strong", "medium", "not_applicable"):
        assert code not in text, code
