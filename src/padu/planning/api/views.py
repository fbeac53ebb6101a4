"""Read-only REST API of planning: lokasi prioritas, Musrenbang proposals (scoped like the pages) and
allocation scenarios with their latest run (aggregates)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from padu.planning import selectors, selectors_allocation, selectors_musrenbang
from padu.planning.api.serializers import (
    LokasiSerializer,
    ProposalSerializer,
    RunSerializer,
    ScenarioSerializer,
)
from padu.planning.forms import this_plan_year
from padu.planning.models import AllocationScenario


def _year(raw: str | None) -> int:
    return int(raw) if raw and raw.isdigit() else this_plan_year()


class LokasiListView(generics.ListAPIView):  # type: ignore[type-arg]
    """The lokasi prioritas of a plan year (``year``, default next year)."""

    serializer_class = LokasiSerializer
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("year", int)], operation_id="planning_lokasi_list")
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return selectors.lokasi_prioritas(
            user=self.request.user, year=_year(self.request.query_params.get("year"))
        )


class ProposalListView(generics.ListAPIView):  # type: ignore[type-arg]
    """Musrenbang proposals in the user's scope; filters ``year``, ``kelurahan``, ``status``, ``physical``
    (1/0), ``strategy``."""

    serializer_class = ProposalSerializer

    @extend_schema(
        parameters=[OpenApiParameter(name, str) for name in selectors_musrenbang.FILTERS],
        operation_id="planning_proposals_list",
    )
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        params = self.request.query_params
        filters = {k: params.get(k, "") for k in selectors_musrenbang.FILTERS}
        return selectors_musrenbang.proposal_list(user=self.request.user, filters=filters)


class ScenarioListView(generics.ListAPIView):  # type: ignore[type-arg]
    """Allocation scenarios of a plan year (``year``)."""

    serializer_class = ScenarioSerializer
    pagination_class = None

    @extend_schema(parameters=[OpenApiParameter("year", int)], operation_id="planning_scenarios_list")
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        year = _year(self.request.query_params.get("year"))
        return (
            AllocationScenario.objects.restrict(self.request.user, "view").filter(year=year).order_by("name")
        )


class ScenarioRunView(generics.RetrieveAPIView):  # type: ignore[type-arg]
    """The latest run of one scenario: status, message, conflicts, totals per kecamatan and OPD (404 when it
    has not been run)."""

    serializer_class = RunSerializer

    @extend_schema(operation_id="planning_scenario_run")
    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return super().get(request, *args, **kwargs)

    def get_object(self) -> Any:
        from django.http import Http404

        scenario = selectors_allocation.scenario_get(user=self.request.user, pk=int(self.kwargs["pk"]))
        run = selectors_allocation.latest_run(scenario)
        if run is None:
            raise Http404
        return run
