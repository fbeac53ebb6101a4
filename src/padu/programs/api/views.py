"""REST API of the programme catalogue: thin, over ``padu.programs.selectors`` and ``services``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from padu.core import audit
from padu.programs import selectors, services
from padu.programs.api.serializers import (
    ProgrammeSerializer,
    ProgrammeWriteSerializer,
    RollEntrySerializer,
    RollSerializer,
)
from padu.programs.models import Programme, Roll, RollEntry


def _write(call: Any) -> Programme:
    try:
        return call()  # type: ignore[no-any-return]
    except PermissionDenied as exc:
        raise ApiPermissionDenied(str(exc)) from exc
    except ValidationError as exc:
        raise ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc


def _values(request: Request, *, partial: bool) -> tuple[dict[str, Any], list[Programme] | None]:
    serializer = ProgrammeWriteSerializer(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    data = dict(serializer.validated_data)
    codes = data.pop("exclusive_of", None)
    excluded = None if codes is None else list(Programme.objects.filter(code__in=codes))
    return data, excluded


class ProgrammeListView(generics.ListAPIView):  # type: ignore[type-arg]
    """The catalogue; filters ``opd`` (code), ``strategy``, ``funding_source``, ``group``, ``unit``, ``q``."""

    serializer_class = ProgrammeSerializer

    @extend_schema(parameters=[OpenApiParameter(name, str) for name in (*selectors.FILTERS, "q")])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        params = self.request.query_params
        filters = {k: params.get(k, "") for k in selectors.FILTERS}
        return selectors.programme_list(user=self.request.user, filters=filters, q=params.get("q", ""))

    @extend_schema(request=ProgrammeWriteSerializer, responses={201: ProgrammeSerializer})
    def post(self, request: Request) -> Response:
        data, excluded = _values(request, partial=False)
        opd = data.pop("opd", None)
        if not opd or "code" not in data or "name" not in data:
            raise ApiValidationError({"opd/code/name": "wajib / required"})
        programme = _write(
            lambda: services.programme_create(
                actor=request.user, opd=opd, exclusive_of=excluded or [], request=request, **data
            )
        )
        return Response(ProgrammeSerializer(programme).data, status=status.HTTP_201_CREATED)


class ProgrammeDetailView(generics.GenericAPIView):  # type: ignore[type-arg]
    serializer_class = ProgrammeSerializer

    def get(self, request: Request, code: str) -> Response:
        return Response(ProgrammeSerializer(selectors.programme_get(user=request.user, code=code)).data)

    @extend_schema(request=ProgrammeWriteSerializer, responses=ProgrammeSerializer)
    def patch(self, request: Request, code: str) -> Response:
        programme = selectors.programme_get(user=request.user, code=code, action="change")
        data, excluded = _values(request, partial=True)
        data.pop("code", None)
        updated = _write(
            lambda: services.programme_update(
                actor=request.user, programme=programme, exclusive_of=excluded, request=request, **data
            )
        )
        return Response(ProgrammeSerializer(updated).data)


class RollListView(generics.ListAPIView):  # type: ignore[type-arg]
    serializer_class = RollSerializer

    @extend_schema(operation_id="program_rolls_list")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        programme = selectors.programme_get(user=self.request.user, code=self.kwargs["code"])
        return selectors.rolls_of(user=self.request.user, programme=programme)

    queryset = Roll.objects.none()


class RollEntryListView(generics.ListAPIView):  # type: ignore[type-arg]
    """Rows of one list within the caller's scope (personal data: every page is audited)."""

    serializer_class = RollEntrySerializer
    queryset = RollEntry.objects.none()

    @extend_schema(
        operation_id="program_roll_entries_list",
        parameters=[OpenApiParameter("bertanda", bool), OpenApiParameter("q", str)],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        results = response.data.get("results", []) if isinstance(response.data, dict) else []
        audit.record_personal_data_access(
            actor=request.user, what="programs.rollentry", count=len(results), request=request,
            detail={"programme": kwargs["code"], "period": kwargs["period"], "api": True},
        )  # fmt: skip
        return response

    def get_queryset(self) -> Any:
        roll = selectors.roll_get(
            user=self.request.user, code=self.kwargs["code"], period=self.kwargs["period"]
        )
        params = self.request.query_params
        return selectors.entries(
            user=self.request.user,
            roll=roll,
            flagged=params.get("bertanda") in ("1", "true"),
            q=params.get("q", ""),
        )
