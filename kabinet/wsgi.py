from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from kabinet.core.startup import freeze_what_is_loaded

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kabinet.settings")
application = get_wsgi_application()

freeze_what_is_loaded()  # a full collection then scans only what requests allocate
