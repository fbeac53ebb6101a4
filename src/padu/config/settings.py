"""Padu settings: one module, driven by typed environment parsers (see ``docs/settings.md``)."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from padu.config.env import (
    env_bool,
    env_choice,
    env_database,
    env_int,
    env_list,
    env_path,
    env_region_code,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent

DATA_DIR = env_path(
    "PADU_DATA_DIR", Path.cwd() / "var",
    help="Direktori data: basis data SQLite bawaan, kunci rahasia, unggahan, ekspor. / "
         "Data directory: embedded SQLite database, secret key, uploads, exports.",
)
DEBUG = env_bool("PADU_DEBUG", False, help="Mode pengembang; jangan aktifkan di produksi. / "
                 "Developer mode; never in production.")


def _secret_key() -> str:
    key = env_str("PADU_SECRET_KEY", None, help="Kunci rahasia Django (boleh lewat PADU_SECRET_KEY_FILE); "
                  "bila kosong dibuat sekali di direktori data. / Django secret key (or "
                  "PADU_SECRET_KEY_FILE); when empty one is generated once in the data directory.")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured(
                "PADU_SECRET_KEY terlalu pendek (minimal 32 karakter) / "
                "PADU_SECRET_KEY is too short (at least 32 characters)"
            )
        return key
    path = DATA_DIR / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key, encoding="utf-8")
    path.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("PADU_ALLOWED_HOSTS", ["127.0.0.1", "localhost"],
                         help="Nama host yang dilayani. / Host names served.")
CSRF_TRUSTED_ORIGINS = env_list("PADU_CSRF_TRUSTED_ORIGINS", [],
                                help="Origin tepercaya di balik proxy, mis. https://padu.serangkota.go.id. "
                                     "/ Trusted origins behind a proxy.")
HTTPS = env_bool("PADU_HTTPS", False, help="Dilayani lewat HTTPS (cookie aman, HSTS, redirect). / "
                 "Served over HTTPS (secure cookies, HSTS, redirect).")

REGION_CODE = env_region_code(
    "PADU_REGION_CODE", "36.73",
    help="Kode Kemendagri kabupaten/kota instalasi ini. / Kemendagri code of this installation's "
         "regency/city.",
)

DATABASES = {"default": env_database(
    "DATABASE_URL", f"sqlite:///{DATA_DIR / 'padu.sqlite3'}",
    help="Basis data: sqlite:///path atau postgres://user:pass@host:5432/nama. / Database URL.",
)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_tasks",
    "django_tasks_db",
    "padu.core",
    "padu.wilayah",
    "padu.accounts",
    "padu.registry",
    "padu.ingest",
    "padu.verivali",
    "padu.programs",
    "padu.planning",
    "padu.linkage",
    "padu.targeting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "padu.accounts.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "padu.config.urls"
WSGI_APPLICATION = "padu.config.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [PACKAGE_DIR / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "padu.core.context_processors.padu",
    ]},
}]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "padu.accounts.validators.LettersAndDigitsValidator"},
]
# The model backend plus the login lockout (LOGIN_MAX_FAILURES, LOGIN_LOCKOUT_MINUTES).
AUTHENTICATION_BACKENDS = ["padu.accounts.backends.LockoutModelBackend"]
LOGIN_MAX_FAILURES = env_int("PADU_LOGIN_MAX_FAILURES", 5, minimum=1, maximum=100,
                             help="Gagal masuk berturut-turut sebelum akun dikunci. / "
                                  "Consecutive failed logins before an account is locked.")
LOGIN_LOCKOUT_MINUTES = env_int("PADU_LOGIN_LOCKOUT_MINUTES", 15, minimum=1, maximum=24 * 60,
                                help="Lama penguncian akun (menit). / Lockout duration (minutes).")
SESSION_COOKIE_AGE = env_int("PADU_SESSION_MINUTES", 60, minimum=5, maximum=24 * 60,
                             help="Sesi berakhir setelah sekian menit tanpa aktivitas. / "
                                  "Sessions expire after this many idle minutes.") * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("PADU_TIME_ZONE", "Asia/Jakarta", help="Zona waktu. / Time zone.")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]  # project-wide assets (padu.css, vendored JS)
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise serves from finders; avoids its warning
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
                    if not DEBUG else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Padu API",
    "DESCRIPTION": "API Padu — sistem informasi penanggulangan kemiskinan terpadu.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Several apps have a run "status" with different choices: name the targeting one explicitly.
    "ENUM_NAME_OVERRIDES": {
        "RegistryStatusEnum": "padu.registry.choices.Status",
        "TargetingRunStatusEnum": "padu.targeting.choices.RunStatus",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

LOG_LEVEL = env_choice("PADU_LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARNING", "ERROR"],
                       help="Tingkat log. / Log level.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"padu": {"handlers": ["console"], "level": LOG_LEVEL}},
}

# Small cells (fewer than this many people) are suppressed on public pages and in aggregate exports.
MIN_CELL_SIZE = env_int("PADU_MIN_CELL_SIZE", 10, minimum=1, maximum=1000,
                        help="Sel agregat lebih kecil dari ini disembunyikan di halaman publik. / "
                             "Aggregate cells smaller than this are suppressed on public pages.")

# Imports: large files are read and validated in a second process while this one writes.
IMPORT_WORKER_MIN_ROWS = env_int(
    "PADU_IMPORT_WORKER_MIN_ROWS", 20000, minimum=0,
    help="Berkas impor dengan sekurang-kurangnya sekian baris dibaca dan diperiksa di proses kedua "
         "(angka sangat besar: tidak pernah). / Import files with at least this many rows are read and "
         "validated in a second process (a very large number: never).",
)

# Verivali (musyawarah kelurahan): monthly cut-off, who verifies and who approves.
VERIVALI_CUTOFF_DAY = env_int(
    "PADU_VERIVALI_CUTOFF_DAY", 17, minimum=1, maximum=28,
    help="Tanggal batas bulanan verivali: batch yang diajukan sampai tanggal ini masuk periode bulan "
         "itu, sesudahnya periode bulan berikutnya (DTSEN: tanggal 17). / Monthly verivali cut-off day: "
         "batches submitted on or before it belong to that month's period, later ones to the next "
         "month's (DTSEN: the 17th).",
)
VERIVALI_VERIFIER_OPD = env_str(
    "PADU_VERIVALI_VERIFIER_OPD", "dinsos",
    help="Kode OPD yang memverifikasi batch verivali kelurahan. / Code of the OPD that verifies "
         "kelurahan verivali batches.",
) or "dinsos"
VERIVALI_APPROVER_ROLE = env_choice(
    "PADU_VERIVALI_APPROVER_ROLE", "admin", ["admin", "analyst"],
    help="Peran yang menyetujui batch verivali dan menerapkannya ke registri. / Role that approves "
         "verivali batches and applies them to the registry.",
)
