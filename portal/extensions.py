"""Flask extensions, created here and bound to the app in create_app."""

from flask_babel import Babel
from flask_htmx import HTMX
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

babel = Babel()
csrf = CSRFProtect()
htmx = HTMX()
login_manager = LoginManager()
# Keyed by the client's address (after ProxyFix); some routes also by credential or invitation
# (portal.auth.rate_keys). RATELIMIT_STORAGE_URI=redis://… makes limits hold across workers.
limiter = Limiter(key_func=get_remote_address, default_limits=[])
