"""Allocation pages: OPD ceilings and scenarios of a year with their results side by side; one
scenario with its rules, run button, totals per kecamatan and OPD, conflicts and per-item reasons."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from padu.planning import selectors_allocation as selectors
from padu.planning.forms import CeilingsForm, ScenarioForm, this_plan_year
from padu.planning.selectors import sees_city
from padu.planning.services import allocation as services
from padu.planning.services.priority import may_plan


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else this_plan_year()


def allocation(request: HttpRequest) -> HttpResponse:
    user = request.user
    year = _year(request)
    planner = may_plan(user)
    opds = selectors.opds()
    current = selectors.ceilings(year=year)
    ceilings_form = CeilingsForm(initial={f"opd_{k}": v for k, v in current.items()}, opds=opds)
    scenario_form = ScenarioForm(
        initial={
            "kecamatan_min_share": 0,
            "kecamatan_max_share": 100,
            "min_nonphysical_share": 0,
            "weighting": "poverty",
        }
    )
    if request.method == "POST":
        if not planner:
            raise PermissionDenied
        if request.POST.get("action") == "ceilings":
            ceilings_form = CeilingsForm(request.POST, opds=opds)
            if ceilings_form.is_valid():
                services.set_ceilings(actor=user, year=year, amounts=ceilings_form.amounts())
                messages.success(request, _("Plafon OPD %(year)s disimpan.") % {"year": year})
                return redirect(f"{reverse('planning:allocation')}?year={year}")
        else:
            scenario_form = ScenarioForm(request.POST)
            if scenario_form.is_valid():
                try:
                    scenario = services.scenario_save(
                        actor=user,
                        year=year,
                        name=scenario_form.cleaned_data["name"],
                        values=scenario_form.values(),
                    )
                except ValidationError as exc:
                    scenario_form.add_error(None, exc)
                else:
                    return redirect("planning:scenario", pk=scenario.pk)
    scenarios = selectors.scenarios(user=user, year=year)
    runs = [r for r in (selectors.latest_run(s) for s in scenarios) if r is not None]
    context = {
        "year": year,
        "may_plan": planner,
        "ceilings_form": ceilings_form,
        "ceilings": [(o, current.get(o.pk)) for o in opds],
        "ceiling_total": sum(current.values()),
        "scenario_form": scenario_form,
        "scenarios": [(s, selectors.latest_run(s)) for s in scenarios],
        "compare": selectors.comparison(runs) if runs else None,
    }
    return render(request, "planning/allocation.html", context)


def scenario(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    obj = selectors.scenario_get(user=user, pk=pk)
    planner = may_plan(user)
    form = ScenarioForm(initial=ScenarioForm.initial_for(obj))
    if request.method == "POST":
        if not planner:
            raise PermissionDenied
        if request.POST.get("action") == "run":
            try:
                done = services.run_scenario(actor=user, scenario=obj)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, done.message)
            return redirect("planning:scenario", pk=pk)
        if request.POST.get("action") == "apply":
            latest = selectors.latest_run(obj)
            if latest is not None:
                try:
                    n = services.apply_run(actor=user, run=latest)
                except ValidationError as exc:
                    messages.error(request, " ".join(exc.messages))
                else:
                    messages.success(request, _("%(n)s usulan ditetapkan didanai.") % {"n": n})
            return redirect("planning:scenario", pk=pk)
        form = ScenarioForm(request.POST)
        if form.is_valid():
            try:
                services.scenario_save(
                    actor=user, year=obj.year, name=obj.name, values=form.values(), scenario=obj
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Skenario disimpan."))
                return redirect("planning:scenario", pk=pk)
    run = selectors.latest_run(obj)
    show = request.GET.get("show", "")
    items = run.items if run else []
    if not sees_city(user):  # region operators: only their own kelurahan's proposals, totals stay
        code = str(getattr(user, "region_id", "") or "")
        items = [
            i for i in items if code and (i["kelurahan"] == code or i["kelurahan"].startswith(code + "."))
        ]
    if show == "funded":
        items = [i for i in items if i["funded"]]
    elif show == "unfunded":
        items = [i for i in items if not i["funded"]]
    context = {"s": obj, "form": form, "may_plan": planner, "run": run, "items": items, "show": show}
    return render(request, "planning/scenario.html", context)
