from typing import Any

from django.conf import settings
from django.http import HttpRequest

from padu import __version__


def padu(request: HttpRequest) -> dict[str, Any]:
    from padu.wilayah.selectors import installation_region

    return {
        "PADU_VERSION": __version__,
        "PADU_REGION": installation_region(),
        "PADU_REGION_CODE": settings.REGION_CODE,
    }
