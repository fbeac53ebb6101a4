"""REST API of the linkage app: thin, over ``padu.linkage.selectors`` and ``services``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from padu.core import audit
from padu.linkage import selectors, services
from padu.linkage.api.serializers import LinkSerializer, SummarySerializer, VerdictSerializer


class SummaryView(generics.GenericAPIView):  # type: ignore[type-arg]
    """Per programme: entries, auto / accepted / review / unmatched links, NIK findings (counts only)."""

    serializer_class = SummarySerializer

    def get(self, request: Request) -> Response:
        rows = selectors.programme_summary(user=request.user)
        return Response(SummarySerializer(rows, many=True).data)


class ReviewQueueView(generics.ListAPIView):  # type: ignore[type-arg]
    """Pairs waiting for review in the caller's scope (audited as a view of personal data)."""

    serializer_class = LinkSerializer

    @extend_schema(parameters=[OpenApiParameter("program", str)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().get(request, *args, **kwargs)
        results = (
            response.data.get("results", response.data) if isinstance(response.data, dict) else response.data
        )
        if results:
            audit.record_personal_data_access(
                actor=request.user, what="linkage.link", count=len(results), request=request,
                detail={"api": "review_queue"},
            )  # fmt: skip
        return response

    def get_queryset(self) -> Any:
        return selectors.review_queue(
            user=self.request.user, programme=self.request.query_params.get("program", "")
        ).select_related("entry__roll__programme", "person")


class DecideView(generics.GenericAPIView):  # type: ignore[type-arg]
    serializer_class = VerdictSerializer

    @extend_schema(request=VerdictSerializer, responses=LinkSerializer)
    def post(self, request: Request, link_id: int) -> Response:
        serializer = VerdictSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        link = selectors.review_item(user=request.user, link_id=link_id)
        if link is None:
            raise NotFound("Tautan tidak ada di antrean / link not in the queue")
        try:
            link = services.record_review_decision(
                actor=request.user, link=link, verdict=serializer.validated_data["verdict"], request=request
            )
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            raise ApiValidationError(exc.messages) from exc
        link = type(link).objects.select_related("entry__roll__programme", "person").get(pk=link.pk)
        return Response(LinkSerializer(link, context={"request": request}).data)


class UndoView(generics.GenericAPIView):  # type: ignore[type-arg]
    """Withdraw the latest verdict on the link's row; the pair returns to the review queue."""

    serializer_class = LinkSerializer

    @extend_schema(request=None, responses=LinkSerializer)
    def post(self, request: Request, link_id: int) -> Response:
        from padu.linkage.models import Link

        link = Link.objects.restrict(request.user, "change").filter(pk=link_id).first()
        if link is None:
            raise NotFound("Tautan tidak ada / link not found")
        try:
            link = services.undo_review_decision(actor=request.user, link=link, request=request)
        except PermissionDenied as exc:
            raise ApiPermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            raise ApiValidationError(exc.messages) from exc
        link = type(link).objects.select_related("entry__roll__programme", "person").get(pk=link.pk)
        return Response(LinkSerializer(link, context={"request": request}).data)
