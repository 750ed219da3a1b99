"""The `Host` names `nashra serve` answers for: the guard against DNS rebinding.

A web page on an attacker's site can make its own name resolve to 127.0.0.1 a
moment later (DNS rebinding) and then read, as "its own" site, whatever a local
server answers, unpublished episodes included. The browser still sends the
attacker's name as `Host`, so answering only for the names this server is
reached by stops it: localhost names (`localhost`, `*.localhost`, which browsers
keep on this machine), loopback and the bound address, `--base-url`'s host.

Listening on every interface (`--host 0.0.0.0`), any address written as digits
is served too (the LAN address phones use, and a machine's others: Wi-Fi,
Ethernet, a VPN), and the machine's own name with and without `.local`: a
rebinding attack needs a name whose DNS the attacker controls, and an address
is not one. The port is not checked (a forwarded port arrives with another).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

HOST = re.compile(r"(?P<name>[A-Za-z0-9.-]+)(?::\d{1,5})?|\[(?P<ip6>[0-9A-Fa-f:.]+)\](?::\d{1,5})?")
"""A `Host` header's value: a name or IPv4 address, or a bracketed IPv6 one, and a port."""


def host_name(host: str) -> str | None:
    """The name or address in a `Host` value, lower-case, without port or final dot;
    None when the value is not a host at all."""
    match = HOST.fullmatch(host.strip())
    if match is None:
        return None
    return (match.group("name") or match.group("ip6")).lower().rstrip(".")


def _address(name: str) -> Address | None:
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


class Hosts:
    """The host names and addresses a server bound to `bound` serves."""

    def __init__(self, bound: str, base_url: str | None) -> None:
        self.names = {"localhost"}
        self.addresses: set[Address] = set()
        self.any_address = False
        self._add(bound)
        address = _address(bound)
        if address is not None and address.is_unspecified:
            self.any_address = True
            machine = socket.gethostname().lower().rstrip(".")
            if machine:
                self.names |= {machine, machine.split(".")[0] + ".local"}
        if base_url:
            self._add(urlsplit(base_url).hostname or "")

    def _add(self, host: str) -> None:
        name = host.strip("[]").lower().rstrip(".")
        if not name:
            return
        address = _address(name)
        if address is None:
            self.names.add(name)
        else:
            self.addresses.add(address)

    def allows(self, host: str) -> bool:
        """Whether a request whose `Host` is `host` is for this server."""
        name = host_name(host)
        if name is None:
            return False
        address = _address(name)
        if address is not None:
            return address.is_loopback or self.any_address or address in self.addresses
        return name in self.names or name.endswith(".localhost")


def lan_address() -> str | None:
    """This machine's address on the local network, if it has one.

    Connecting a UDP socket sends nothing; it only asks the kernel which
    interface would carry traffic to that (documentation-range) address.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address
