"""Authenticator codes for tests that allauth accepts every time, whatever the clock says.

A code is valid for one 30-second window (MFA_TOTP_TOLERANCE is 0), and allauth refuses a code
that was already used in that window. A code computed in a window's last seconds reaches the
server in the next window and is refused; so does a second sign-in within one window. Both made
browser tests fail now and then under load.
"""

import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

# Seconds a code must still have ahead of it: enough to type it and for the server to check it,
# on a loaded machine.
MARGIN = 10

_used = set()


def fresh_totp_code(secret, *, margin=MARGIN, clock=time.time, sleep=time.sleep):
    """The current code for `secret`, from a window with at least `margin` seconds left and
    never one handed out before: waits for the next window when needed."""
    period = app_settings.TOTP_PERIOD
    while True:
        now = clock()
        counter = int(now) // period
        left = (counter + 1) * period - now
        if left >= margin and (secret, counter) not in _used:
            _used.add((secret, counter))
            return format_hotp_value(hotp_value(secret, counter))
        sleep(left + 0.1)
