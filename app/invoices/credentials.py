"""The e-invoicing unit's stamp: a simulation key and certificate kept in the data dir.

Until the platform is onboarded with ZATCA (``zatca.onboarding``), invoices are stamped with a
secp256k1 key and a self-signed certificate generated once, on first use, into
``$MIHAN_DATA_DIR/zatca/<unit>.pem`` (mode 0600, key and certificate in one file so they can
never be paired wrongly). The file is written under a temporary name and linked into place, so
two processes starting at once end with one key, the first one's.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from app.core import clock
from app.core.settings import get_settings
from app.invoices.zatca import SigningCredentials, generate_private_key, self_signed_certificate

CERTIFICATE_DAYS = 5 * 365
_lock = threading.Lock()


def credentials_path(unit: str) -> Path:
    return get_settings().invoicing_dir / f"{unit}.pem"


def get_credentials(unit: str) -> SigningCredentials:
    """The unit's stamp, generated on first use."""
    return _load(credentials_path(unit), unit)


@lru_cache(maxsize=8)
def _load(path: Path, unit: str) -> SigningCredentials:
    with _lock:
        if not path.exists():
            _create(path, unit)
    pem = path.read_bytes()
    key = serialization.load_pem_private_key(pem, password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return SigningCredentials(key, x509.load_pem_x509_certificate(pem))


def _create(path: Path, unit: str) -> None:
    key = generate_private_key()
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, unit),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, get_settings().platform.name_en),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SA"),
        ]
    )
    certificate = self_signed_certificate(key, name, valid_from=clock.now(), days=CERTIFICATE_DAYS)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    pem += certificate.public_bytes(serialization.Encoding.PEM)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    try:
        os.link(temporary, path)  # fails if another process won the race: keep its key
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
