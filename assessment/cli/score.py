"""`score`: score a case file against a rubric, without any database (also how rubric authors try a rubric)."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from ..errors import CaseFileError, Problem
from ..i18n import N_

if TYPE_CHECKING:  # the rubric, the engine and the YAML reader load when `score` runs, not for `--help`
    from ..scoring import RubricResult


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "score",
        help="score a case file (YAML or JSON) against a rubric",
        description="Score a case file against a rubric and explain the result. Exit 2 on a bad file.",
    )
    p.add_argument("case_file", metavar="CASE_FILE", help="YAML or JSON with profile and indicators or observations (assessment/casefile.py), "
                   "or a whole case file")
    p.add_argument("--rubric", help="rubric file (default: the legal test, pilot_data/rubrics/legal-273f.yaml; the ILO instrument: pilot_data/rubrics/ilo-2009.yaml)")
    p.add_argument("--profile", help="profile id, overriding the case file's")
    p.add_argument("--lang", choices=["nl", "en"], help="language of the table (default: $LANG, else nl)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from ..casefile import read_score_file
    from ..rubric import DEFAULT_RUBRIC, load_rubric
    from ..scoring import score

    rubric = load_rubric(args.rubric or DEFAULT_RUBRIC)
    case = read_score_file(args.case_file)
    profile = args.profile or case.profile
    if not profile and case.age_group is not None and case.form is not None:
        profile = rubric.profile_for(case.age_group, case.form).id
    if not profile:
        raise CaseFileError([Problem.of(args.case_file, None, "profile",
                                        N_("no profile: give one (or age_group and form) in the file, or --profile"))])
    result = score(rubric, profile, case.observations or (), indicators=case.indicators)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_table(result, rubric, args.lang))
    return 0


def render_table(result: RubricResult, rubric: Any, lang: str) -> str:
    """A readable terminal summary: outcome, each dimension with the clause, and what could change it."""
    from ..i18n import N_, gettext
    from ..routes import element_routes, met_text, outcome_routes
    from ..vocabulary import label  # names, not ids, in the user's language

    def heading(message: str) -> str:
        return gettext(lang, message)

    lines = [
        f"{rubric.title(lang)} ({rubric.id} {rubric.version}) · {rubric.profile(result.profile).title(lang)}",
        gettext(lang, N_("Outcome: {outcome}"), outcome=rubric.outcome_label(result.outcome, lang)),
        "",
    ]
    width = max(len(rubric.dimension_by_id[d].name(lang)) for d in result.dimensions)
    for dim in result.dimensions.values():
        word = label("dim_status", dim.status, lang)
        met = met_text(rubric, result, dim.id, lang)  # type: ignore[arg-type]  # only a met rule, in words
        clause = f"  [{met}]" if met else ""
        lines.append(f"  {rubric.dimension_by_id[dim.id].name(lang):<{width}}  {word:<12}{clause}")
        for iid in dim.present:
            ind = result.indicators[iid]
            tier = rubric.tier_by_id[ind.tier].name(lang) if ind.tier else f"{ind.points} pt"
            who = ", ".join(label("discipline", d, lang) for d in ind.disciplines)
            flag = " (!)" if ind.contested else ""
            lines.append(f"      + {rubric.indicator_by_id[iid].name(lang)} [{tier}]{flag} {who}")
    if result.contested:
        lines += ["", heading(N_("Contested")) + ": "
                  + ", ".join(rubric.indicator_by_id[i].name(lang) for i in result.contested)]
    if result.elements:
        lines += ["", heading(N_("Per element")) + ":"]
        for element in result.elements.values():
            word = label("element_status", element.status, lang)
            lines.append(f"  {rubric.element_by_id[element.id].name(lang)}: {word}")
            routes = element_routes(rubric, element, lang)  # type: ignore[arg-type]
            if routes:
                lines.append("      " + heading(N_("still needed, one of")) + ":")
                lines += [f"      - {r}" for r in routes]
    routes = outcome_routes(rubric, result, lang)  # type: ignore[arg-type]
    if routes and not result.elements:
        lines += ["", heading(N_("Still needed to change the outcome, one of")) + ":"]
        lines += [f"  - {r}" for r in routes]
    elif result.could_change and not result.elements:
        lines += ["", heading(N_("Could change the outcome")) + ":"]
        lines += [f"  ? {rubric.indicator_by_id[i].name(lang)} ({i})" for i in result.could_change]
    if result.per_discipline:
        lines += ["", heading(N_("Per discipline")) + ":"]
        lines += [f"  {label('discipline', d, lang)}: {rubric.outcome_label(r.outcome, lang)}"
                  for d, r in result.per_discipline.items()]
    lines += ["", rubric.disclaimer(lang)]
    return "\n".join(lines)
