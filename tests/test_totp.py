"""The tests' authenticator-code helper never hands out a code about to expire or used before."""

from allauth.mfa.totp.internal.auth import format_hotp_value, generate_totp_secret, hotp_value

from tests.totp import fresh_totp_code


class FakeClock:
    """The clock, the one outside edge here: time moves only when the helper sleeps."""

    def __init__(self, now):
        self.now = now
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(seconds)
        self.now += seconds


def _code(secret, counter):
    return format_hotp_value(hotp_value(secret, counter))


def test_a_code_with_time_left_is_given_at_once():
    secret = generate_totp_secret()
    clock = FakeClock(30 * 1000 + 3.0)
    assert fresh_totp_code(secret, clock=clock, sleep=clock.sleep) == _code(secret, 1000)
    assert clock.slept == []


def test_near_the_end_of_a_window_it_waits_for_the_next():
    secret = generate_totp_secret()
    clock = FakeClock(30 * 2000 + 25.0)  # 5 s left, under the 10 s margin
    assert fresh_totp_code(secret, clock=clock, sleep=clock.sleep) == _code(secret, 2001)
    assert len(clock.slept) == 1 and 5.0 < clock.slept[0] < 5.5


def test_a_code_is_never_handed_out_twice():
    secret = generate_totp_secret()
    clock = FakeClock(30 * 3000 + 1.0)
    first = fresh_totp_code(secret, clock=clock, sleep=clock.sleep)
    clock.now += 2
    second = fresh_totp_code(secret, clock=clock, sleep=clock.sleep)
    assert (first, second) == (_code(secret, 3000), _code(secret, 3001))
    # Another secret (another user) has its own codes.
    other = generate_totp_secret()
    assert fresh_totp_code(other, clock=clock, sleep=clock.sleep) == _code(other, 3001)
