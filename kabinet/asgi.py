from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

from kabinet.core.startup import freeze_what_is_loaded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kabinet.settings")
application = get_asgi_application()

freeze_what_is_loaded()  # a full collection then scans only what requests allocate
