"""One-time tokens for invitation links (first password of a person an administration created).

Like Django's reset tokens they are bound to the password hash (a set password spends them; a
resent invitation gives a new unusable password, so older links die) but carry their own salt
and a longer lifetime, ``KRISENWISSEN_INVITATION_TIMEOUT_DAYS``.
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "krisenwissen.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
                   for secret in [self.secret, *self.secret_fallbacks]):
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.KRISENWISSEN_INVITATION_TIMEOUT_DAYS * 24 * 60 * 60


invitation_token_generator = InvitationTokenGenerator()
