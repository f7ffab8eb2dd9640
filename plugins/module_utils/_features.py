# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a modern XMPP server offers clients, and where a client finds each feature.

The list is the one mobile clients (Conversations, Monal, Dino) check, as the Conversations compliance
tester asks for it. docs/features.md is generated from it, and the Molecule verifiers ask a running
server over XMPP for every entry (tests/integration/xmpp_probe.py --features).

``where`` says what a client asks:
- ``stream``: an element of the stream features (before or after login), by namespace;
- ``server``: disco#info of the domain; ``account``: disco#info of the user's own bare JID;
- ``service``: disco#info of the domain's disco#items (the components);
- ``room``: disco#info of a room the user created on the MUC service.
``var`` is a feature namespace, ``identity:<category>/<type>`` or ``field:<var>`` (a field of an
extended form, with at least one value).
"""

from __future__ import annotations

from typing import NamedTuple

from ansible_collections.xmpp.prosody.plugins.module_utils._option_syntax import ConfigError


class Feature(NamedTuple):
    key: str
    spec: str  # the XEP (or RFC) that defines it
    title: str
    where: str
    var: str
    provided_by: str  # the Prosody module (or component type) that offers it
    default: bool = True  # offered by a default server


FEATURES = (
    Feature("caps", "XEP-0115", "Entity capabilities", "stream", "http://jabber.org/protocol/caps", "disco"),
    Feature("rosterver", "RFC 6121", "Roster versioning", "stream", "urn:xmpp:features:rosterver", "roster"),
    Feature("sm", "XEP-0198", "Stream management", "stream", "urn:xmpp:sm:3", "smacks"),
    Feature("csi", "XEP-0352", "Client state indication", "stream", "urn:xmpp:csi:0", "csi_simple"),
    Feature(
        "register",
        "XEP-0077",
        "In-band registration",
        "stream",
        "http://jabber.org/features/iq-register",
        "register",
        default=False,
    ),
    Feature("carbons", "XEP-0280", "Message carbons", "server", "urn:xmpp:carbons:2", "carbons"),
    Feature("blocking", "XEP-0191", "Blocking command", "server", "urn:xmpp:blocking", "blocklist"),
    Feature(
        "extdisco",
        "XEP-0215",
        "External services (STUN/TURN for calls)",
        "server",
        "urn:xmpp:extdisco:2",
        "turn_external",
    ),
    Feature(
        "contact",
        "XEP-0157",
        "Contact addresses",
        "server",
        "field:abuse-addresses",
        "server_contact_info",
    ),
    Feature("pep", "XEP-0163", "Personal eventing (PEP)", "account", "identity:pubsub/pep", "pep"),
    Feature(
        "omemo",
        "XEP-0384",
        "OMEMO prerequisites (PEP publish options)",
        "account",
        "http://jabber.org/protocol/pubsub#publish-options",
        "pep",
    ),
    Feature("mam", "XEP-0313", "Message archive", "account", "urn:xmpp:mam:2", "mam"),
    Feature("push", "XEP-0357", "Push notifications", "account", "urn:xmpp:push:0", "cloud_notify"),
    Feature(
        "bookmarks",
        "XEP-0402/0411",
        "Bookmarks, converted between old and new clients",
        "account",
        "urn:xmpp:bookmarks:1#compat",
        "bookmarks",
    ),
    Feature(
        "avatars",
        "XEP-0398",
        "Avatars converted to vCard",
        "account",
        "urn:xmpp:pep-vcard-conversion:0",
        "vcard_legacy",
    ),
    Feature("muc", "XEP-0045", "Group chats", "service", "identity:conference/text", "muc component"),
    Feature("upload", "XEP-0363", "HTTP file upload", "service", "urn:xmpp:http:upload:0", "http_file_share component"),
    Feature(
        "proxy65",
        "XEP-0065",
        "File transfer proxy",
        "service",
        "http://jabber.org/protocol/bytestreams",
        "proxy65 component",
    ),
    Feature("muc_mam", "XEP-0313", "Message archive in group chats", "room", "urn:xmpp:mam:2", "muc_mam"),
    Feature(
        "muc_self_ping",
        "XEP-0410",
        "Group chat self-ping",
        "room",
        "http://jabber.org/protocol/muc#self-ping-optimization",
        "muc",
    ),
)


def checks() -> list:
    """[key, where, var] of every feature: what the probe asks."""
    return [[f.key, f.where, f.var] for f in FEATURES]


def missing(found: dict) -> list:
    """The problems in a probe's answer ({key: present}): a default feature absent, or one that is off by
    default present; each named with the module that offers it."""
    problems = []
    for f in FEATURES:
        if bool(found.get(f.key)) != f.default:
            state = "missing" if f.default else "offered, though off by default"
            problems.append("%s (%s, %s): %s" % (f.title, f.spec, f.provided_by, state))
    return problems


# XEP-0157's address kinds, as Prosody's contact_info option names them
CONTACT_KINDS = ("abuse", "admin", "feedback", "sales", "security", "status", "support")
URI_SCHEMES = ("xmpp:", "mailto:", "https:", "http:", "tel:", "sip:")
# Modules a MUC component loads when its modules_enabled is not given: archives in rooms (XEP-0313)
MUC_MODULES = ("muc_mam",)


def default_contact_info(admins) -> dict:
    """Where clients send abuse reports and questions when the inventory says nothing: the admins."""
    uris = ["xmpp:" + jid for jid in admins]
    return {"abuse": uris, "admin": list(uris)} if uris else {}


def check_contact_info(value, field: str) -> dict:
    """contact_info as Prosody's mod_server_contact_info takes it: address kinds to lists of URIs."""
    example = "{abuse: ['mailto:abuse@example.org', 'xmpp:admin@example.org']}"
    if not isinstance(value, dict):
        raise ConfigError("%s: give a dict of address kinds to URI lists, e.g. %s" % (field, example))
    for kind, uris in value.items():
        if kind not in CONTACT_KINDS:
            raise ConfigError("%s.%s: not an address kind; use %s" % (field, kind, ", ".join(CONTACT_KINDS)))
        if not isinstance(uris, list) or not uris:
            raise ConfigError("%s.%s: give a non-empty list of URIs, e.g. %s" % (field, kind, example))
        for index, uri in enumerate(uris):
            if not isinstance(uri, str) or not uri.startswith(URI_SCHEMES) or len(uri.split(":", 1)[1]) < 1:
                raise ConfigError(
                    "%s.%s[%d]: %r is not a URI; start it with %s" % (field, kind, index, uri, ", ".join(URI_SCHEMES))
                )
    return value
