"""Real directory servers for the sign-in tests: OpenLDAP's ``slapd`` and an OpenID provider.

``slapd`` (Debian package ``slapd``) runs from a generated ``slapd.conf`` in a temporary
directory on a free port, loaded with people and groups (``LDAP_*`` below). The OpenID provider
is ``django-oidc-provider`` running as its own small Django project (own settings, own SQLite
database, own ``runserver`` process) on a free port; people, their groups and the client are
created in it through its ``manage.py shell``.

Without ``slapd`` the LDAP tests are skipped on a workstation and fail under ``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from .ports import free_port

IN_CI = os.environ.get("CI", "").lower() == "true"
SLAPD = os.environ.get("KRISENWISSEN_SLAPD", "/usr/sbin/slapd")
SLAPADD = shutil.which("slapadd") or "/usr/sbin/slapadd"

LDAP_SUFFIX = "dc=example,dc=org"
LDAP_ROOT_DN = f"cn=admin,{LDAP_SUFFIX}"
LDAP_ROOT_PASSWORD = "root-geheim"
LDAP_SERVICE_DN = f"cn=krisenwissen,ou=services,{LDAP_SUFFIX}"
LDAP_SERVICE_PASSWORD = "dienst-geheim"
# username → (password, given name, surname, mail)
LDAP_PEOPLE = {
    "anna.ahrens": ("anna-passwort-1", "Anna", "Ahrens", "anna.ahrens@essen.example"),
    "bernd.bauer": ("bernd-passwort-2", "Bernd", "Bauer", "bernd.bauer@dortmund.example"),
}
# group cn → members (usernames)
LDAP_GROUPS = {
    "ks-essen-redaktion": ["anna.ahrens"],
    "ks-dortmund-leser": ["anna.ahrens", "bernd.bauer"],
    "kantine": ["anna.ahrens"],
}


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"server did not listen on {port} within {timeout} s:\n{log.read_text(errors='replace')[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------------------------------------
# slapd
# ---------------------------------------------------------------------------------------------


def user_dn(username: str) -> str:
    return f"uid={username},ou=people,{LDAP_SUFFIX}"


def group_dn(cn: str) -> str:
    return f"cn={cn},ou=groups,{LDAP_SUFFIX}"


def _ldif() -> str:
    parts = [
        f"dn: {LDAP_SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Beispielstadt\ndc: example\n",
        f"dn: ou=people,{LDAP_SUFFIX}\nobjectClass: organizationalUnit\nou: people\n",
        f"dn: ou=groups,{LDAP_SUFFIX}\nobjectClass: organizationalUnit\nou: groups\n",
        f"dn: ou=services,{LDAP_SUFFIX}\nobjectClass: organizationalUnit\nou: services\n",
        f"dn: {LDAP_SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: krisenwissen\n"
        f"userPassword: {LDAP_SERVICE_PASSWORD}\n",
    ]
    for username, (password, given, sn, mail) in LDAP_PEOPLE.items():
        parts.append(f"dn: {user_dn(username)}\nobjectClass: inetOrgPerson\nuid: {username}\ncn: {given} {sn}\n"
                     f"givenName: {given}\nsn: {sn}\nmail: {mail}\nuserPassword: {password}\n")
    for cn, members in LDAP_GROUPS.items():
        lines = "".join(f"member: {user_dn(m)}\n" for m in members)
        parts.append(f"dn: {group_dn(cn)}\nobjectClass: groupOfNames\ncn: {cn}\n{lines}")
    return "\n".join(parts)


def make_tls_files(directory: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for 127.0.0.1/localhost: (ca, cert, key) PEM files."""
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "krisenwissen Test-CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
          .not_valid_after(now + dt.timedelta(days=2))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = (directory / "ca.pem", directory / "server.pem", directory / "server.key")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@dataclass
class LDAPServer:
    uri: str
    port: int
    ca_file: str = ""

    def connect_as_root(self):
        import ldap3

        return ldap3.Connection(ldap3.Server(self.uri), LDAP_ROOT_DN, LDAP_ROOT_PASSWORD, auto_bind=True)

    def remove_member(self, group: str, username: str) -> None:
        import ldap3

        conn = self.connect_as_root()
        try:
            assert conn.modify(group_dn(group), {"member": [(ldap3.MODIFY_DELETE, [user_dn(username)])]}), conn.result
        finally:
            conn.unbind()

    def add_member(self, group: str, username: str) -> None:
        import ldap3

        conn = self.connect_as_root()
        try:
            assert conn.modify(group_dn(group), {"member": [(ldap3.MODIFY_ADD, [user_dn(username)])]}), conn.result
        finally:
            conn.unbind()

    def settings(self, **extra) -> dict:
        """Django settings for krisenwissen's LDAP sign-in against this server."""
        values = {
            "KRISENWISSEN_LDAP_SERVER_URI": self.uri,
            "KRISENWISSEN_LDAP_START_TLS": False,
            "KRISENWISSEN_LDAP_BIND_DN": LDAP_SERVICE_DN,
            "KRISENWISSEN_LDAP_BIND_PASSWORD": LDAP_SERVICE_PASSWORD,
            "KRISENWISSEN_LDAP_USER_SEARCH_BASE": f"ou=people,{LDAP_SUFFIX}",
            "KRISENWISSEN_LDAP_USER_FILTER": "(&(objectClass=inetOrgPerson)(uid={username}))",
            "KRISENWISSEN_LDAP_GROUP_SEARCH_BASE": f"ou=groups,{LDAP_SUFFIX}",
            "KRISENWISSEN_LDAP_GROUP_FILTER": "(&(objectClass=groupOfNames)(member={user_dn}))",
            "KRISENWISSEN_LDAP_TIMEOUT": 5,
        }
        values.update(extra)
        return values


def start_slapd(tmp: Path) -> tuple[LDAPServer, subprocess.Popen]:
    if not Path(SLAPD).exists():
        reason = f"slapd fehlt unter {SLAPD} (apt-get install slapd)."
        if IN_CI:
            pytest.fail(f"LDAP-Tests können in CI nicht laufen: {reason}", pytrace=False)
        # Justified skip: only on a workstation without slapd; under CI=true the line above fails.
        pytest.skip(reason)
    db = tmp / "db"
    db.mkdir(parents=True)
    ca_file, cert_file, key_file = make_tls_files(tmp)
    conf = tmp / "slapd.conf"
    conf.write_text(textwrap.dedent(f"""\
        include /etc/ldap/schema/core.schema
        include /etc/ldap/schema/cosine.schema
        include /etc/ldap/schema/inetorgperson.schema
        include /etc/ldap/schema/nis.schema
        pidfile {tmp}/slapd.pid
        argsfile {tmp}/slapd.args
        modulepath /usr/lib/ldap
        moduleload back_mdb
        database mdb
        maxsize 10485760
        suffix "{LDAP_SUFFIX}"
        rootdn "{LDAP_ROOT_DN}"
        rootpw {LDAP_ROOT_PASSWORD}
        directory {db}
        TLSCACertificateFile {ca_file}
        TLSCertificateFile {cert_file}
        TLSCertificateKeyFile {key_file}
        access to attrs=userPassword by self read by anonymous auth by * none
        access to * by users read by * none
        """))
    ldif = tmp / "data.ldif"
    ldif.write_text(_ldif())
    subprocess.run([SLAPADD, "-f", str(conf), "-l", str(ldif)], check=True, capture_output=True)
    port = free_port()
    log = tmp / "slapd.log"
    with log.open("wb") as out:
        process = subprocess.Popen([SLAPD, "-f", str(conf), "-h", f"ldap://127.0.0.1:{port}/", "-d", "0"],
                                   stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, log)
    except RuntimeError:
        stop(process)
        raise
    return LDAPServer(uri=f"ldap://127.0.0.1:{port}", port=port, ca_file=str(ca_file)), process


@pytest.fixture(scope="session")
def slapd_server(tmp_path_factory):
    server, process = start_slapd(tmp_path_factory.mktemp("slapd"))
    yield server
    stop(process)


# ---------------------------------------------------------------------------------------------
# OpenID provider (django-oidc-provider as its own server)
# ---------------------------------------------------------------------------------------------

OP_CLIENT_ID = "krisenwissen-test"
OP_CLIENT_SECRET = "client-geheimnis-0123456789"
# username → (password, given name, family name, mail, groups)
OP_PEOPLE = {
    "clara.claasen": ("clara-passwort-3", "Clara", "Claasen", "clara@essen.example", ["/krisenstab/essen", "kantine"]),
    "dieter.dahl": ("dieter-passwort-4", "Dieter", "Dahl", "dieter@dortmund.example", ["/krisenstab/dortmund-leser"]),
}

_OP_SETTINGS = """\
from pathlib import Path
HERE = Path(__file__).resolve().parent
SECRET_KEY = "op-test-secret-key-not-for-production-0123456789"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
                  "django.contrib.messages", "oidc_provider"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", "django.middleware.common.CommonMiddleware",
              "django.middleware.csrf.CsrfViewMiddleware", "django.contrib.auth.middleware.AuthenticationMiddleware",
              "django.contrib.messages.middleware.MessageMiddleware"]
ROOT_URLCONF = "op_urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [HERE / "templates"],
              "APP_DIRS": True, "OPTIONS": {"context_processors": ["django.template.context_processors.request",
              "django.contrib.auth.context_processors.auth", "django.contrib.messages.context_processors.messages"]}}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": HERE / "op.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
LOGIN_URL = "/accounts/login/"
# Same host as the platform under test (cookies do not tell ports apart): own cookie names.
SESSION_COOKIE_NAME = "op_sessionid"
CSRF_COOKIE_NAME = "op_csrftoken"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SITE_URL = "{site_url}"
OIDC_USERINFO = "op_claims.userinfo"
OIDC_EXTRA_SCOPE_CLAIMS = "op_claims.GroupsClaims"
"""

_OP_URLS = """\
from django.contrib.auth import views as auth_views
from django.urls import include, path
urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("openid/", include("oidc_provider.urls", namespace="oidc_provider")),
]
"""

_OP_CLAIMS = """\
from oidc_provider.lib.claims import ScopeClaims


def userinfo(claims, user):
    claims["given_name"] = user.first_name
    claims["family_name"] = user.last_name
    claims["name"] = user.get_full_name()
    claims["email"] = user.email
    claims["email_verified"] = True
    claims["preferred_username"] = user.username
    return claims


class GroupsClaims(ScopeClaims):
    info_groups = ("Gruppen", "Ihre Gruppen im Verzeichnis.")

    def scope_groups(self):
        return {"groups": sorted(g.name for g in self.user.groups.all())}
"""

_OP_LOGIN = """\
<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Anmeldung beim Identitätsanbieter</title></head>
<body><main><h1>Identitätsanbieter der Stadt</h1>
<form method="post">{% csrf_token %}
<label for="id_username">Kennung</label><input id="id_username" name="username" type="text">
<label for="id_password">Kennwort</label><input id="id_password" name="password" type="password">
<input type="hidden" name="next" value="{{ next }}">
<button type="submit">Weiter</button></form></main></body></html>
"""


@dataclass
class OpenIDProvider:
    url: str
    directory: Path
    registered_redirect_uri: str = ""

    @property
    def issuer(self) -> str:
        return f"{self.url}/openid"

    def manage(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run([sys.executable, "-m", "django", *args], cwd=self.directory, env=_op_env(self.directory),
                                input=stdin, capture_output=True, text=True, timeout=120)
        if result.returncode:
            raise RuntimeError(f"OP manage {args} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def register_client(self, redirect_uri: str) -> None:
        """(Re-)register our platform as a confidential client with this redirect URI."""
        if redirect_uri == self.registered_redirect_uri:
            return
        self.manage("shell", stdin=textwrap.dedent(f"""\
            from oidc_provider.models import Client, ResponseType
            client, _ = Client.objects.get_or_create(client_id={OP_CLIENT_ID!r}, defaults={{"name": "krisenwissen"}})
            client.client_secret = {OP_CLIENT_SECRET!r}
            client.client_type = "confidential"
            client.jwt_alg = "RS256"
            client.require_consent = False
            client.reuse_consent = True
            client.redirect_uris = [{redirect_uri!r}]
            client.scope = ["openid", "email", "profile", "groups"]
            client.save()
            client.response_types.set([ResponseType.objects.get(value="code")])
            """))
        self.registered_redirect_uri = redirect_uri

    def set_groups(self, username: str, groups: list[str]) -> None:
        self.manage("shell", stdin=textwrap.dedent(f"""\
            from django.contrib.auth.models import Group, User
            user = User.objects.get(username={username!r})
            user.groups.set([Group.objects.get_or_create(name=g)[0] for g in {groups!r}])
            """))

    def settings(self, **extra) -> dict:
        """Django settings for krisenwissen's OpenID Connect sign-in against this provider."""
        values = {
            "KRISENWISSEN_OIDC_ISSUER": self.issuer,
            "OIDC_RP_CLIENT_ID": OP_CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": OP_CLIENT_SECRET,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.issuer}/authorize",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.issuer}/token",
            "OIDC_OP_USER_ENDPOINT": f"{self.issuer}/userinfo",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.issuer}/jwks",
            "OIDC_RP_SIGN_ALGO": "RS256",
            "OIDC_RP_SCOPES": "openid email profile groups",
            "KRISENWISSEN_OIDC_GROUPS_CLAIM": "groups",
        }
        values.update(extra)
        return values


def _op_env(directory: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KRISENWISSEN_", "PYTEST_"))}
    env["PYTHONPATH"] = str(directory)
    env["DJANGO_SETTINGS_MODULE"] = "op_settings"
    return env


def start_openid_provider(tmp: Path) -> tuple[OpenIDProvider, subprocess.Popen]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    (tmp / "templates" / "registration").mkdir(parents=True)
    (tmp / "op_settings.py").write_text(_OP_SETTINGS.replace("{site_url}", url))
    (tmp / "op_urls.py").write_text(_OP_URLS)
    (tmp / "op_claims.py").write_text(_OP_CLAIMS)
    (tmp / "templates" / "registration" / "login.html").write_text(_OP_LOGIN)
    op = OpenIDProvider(url=url, directory=tmp)
    op.manage("migrate", "--noinput", "-v", "0")
    op.manage("shell", stdin=textwrap.dedent(f"""\
        from django.contrib.auth.models import Group, User
        from django.core.management import call_command
        call_command("creatersakey")
        for username, (password, given, family, mail, groups) in {OP_PEOPLE!r}.items():
            user = User.objects.create_user(username, mail, password, first_name=given, last_name=family)
            user.groups.set([Group.objects.get_or_create(name=g)[0] for g in groups])
        """))
    log = tmp / "op.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
                                   cwd=tmp, env=_op_env(tmp), stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, process, log)
    except RuntimeError:
        stop(process)
        raise
    return op, process


@pytest.fixture(scope="session")
def openid_provider(tmp_path_factory):
    op, process = start_openid_provider(tmp_path_factory.mktemp("openid-provider"))
    yield op
    stop(process)
