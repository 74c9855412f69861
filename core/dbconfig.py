"""Module-level config for Tortoise's own CLI (`tortoise -c core.dbconfig.TORTOISE_ORM ...`).

Used when writing a new migration; `teamflow migrate` does not need it.
"""

from core.config import get_settings
from core.db import tortoise_config

TORTOISE_ORM = tortoise_config(get_settings().database_url)
