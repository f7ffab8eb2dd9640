# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Each object the collection manages, described once.

The modules' argument specs are built from these schemas; their DOCUMENTATION and the roles'
argument specs are generated from them or checked against them (tests/unit/test_schemas.py), so a
virtual host means the same thing in every module and role.

Keys besides Ansible's own: ``module_only`` (a role declares the whole set, so it has no ``state``)
and ``required_in_role`` (required when the item is present, which every role item is).
"""

from __future__ import annotations

SPEC_KEYS = ("type", "elements", "choices", "default", "required", "no_log")
DOC_KEYS = ("description", "type", "elements", "choices", "default", "required")

STATE = {
    "description": "Whether the object exists. A role declares the whole set instead: what it no longer lists "
    "is removed.",
    "type": "str",
    "choices": ["present", "absent"],
    "default": "present",
    "module_only": True,
}

SQL = {
    "driver": {
        "description": "Database driver; Prosody refuses a connection without one.",
        "type": "str",
        "choices": ["SQLite3", "MySQL", "PostgreSQL"],
    },
    "database": {"description": "Database name, or the file of an SQLite3 database.", "type": "str"},
    "host": {"description": "Database server (MySQL, PostgreSQL).", "type": "str"},
    "port": {"description": "Port of the database server.", "type": "int"},
    "username": {"description": "User Prosody connects as.", "type": "str"},
    "password": {
        "description": "Password Prosody connects with. Never logged, masked in diffs.",
        "type": "str",
        "no_log": True,
    },
}

# A host's LDAP directory (authentication: ldap): Prosody's bundled mod_auth_ldap, each key its ldap_<key>.
LDAP = {
    "server": {
        "description": "The directory server, C(host) or C(host:port) (LuaLDAP); not given - C(localhost).",
        "type": "str",
    },
    "base": {
        "description": "Where the users are, for example C(ou=people,dc=example,dc=org). Required.",
        "type": "str",
        "required": True,
    },
    "filter": {
        "description": "How a user is found; C($user) is the login name, escaped. Not given - C((uid=$user)).",
        "type": "str",
    },
    "scope": {
        "description": "How deep below C(base) users are searched. Not given - C(subtree).",
        "type": "str",
        "choices": ["subtree", "onelevel", "base"],
    },
    "rootdn": {
        "description": "The DN Prosody binds as to search for users; not given - an anonymous search.",
        "type": "str",
    },
    "password": {
        "description": "The password of C(rootdn). Never logged, masked in diffs.",
        "type": "str",
        "no_log": True,
    },
    "tls": {"description": "Whether to use StartTLS to the directory server.", "type": "bool"},
    "mode": {
        "description": "C(bind) checks a password by binding as the user (the password never leaves the directory); "
        "C(getpasswd) reads C(userPassword) (plain text in the directory). Not given - C(bind).",
        "type": "str",
        "choices": ["bind", "getpasswd"],
    },
    "admin_filter": {
        "description": "Users this search finds are admins of the host (C($user) as in C(filter)).",
        "type": "str",
    },
}

VHOST = {
    "name": {
        "description": "Domain of the host: a lowercase ASCII DNS name (internationalized names are refused).",
        "type": "str",
        "required": True,
    },
    "state": STATE,
    "enabled": {
        "description": "Whether Prosody serves the host; a disabled host keeps its file (unlinked, or "
        "C(enabled = false)).",
        "type": "bool",
        "default": True,
    },
    "admins": {
        "description": "Admin JIDs of this host, in addition to the server-wide ones.",
        "type": "list",
        "elements": "str",
    },
    "modules_enabled": {
        "description": "Modules loaded on this host in addition to the server-wide ones.",
        "type": "list",
        "elements": "str",
    },
    "modules_disabled": {
        "description": "Server-wide modules not loaded on this host.",
        "type": "list",
        "elements": "str",
    },
    "authentication": {
        "description": [
            "Authentication provider of this host. Not given - C(internal_hashed), Prosody's own accounts.",
            "C(ldap) checks logins against a directory (C(ldap), required with it); accounts are the "
            "directory's, so M(xmpp.prosody.account) refuses the host. The roles install C(lua-ldap).",
        ],
        "type": "str",
        "choices": ["internal_hashed", "internal_plain", "anonymous", "ldap"],
    },
    "ldap": {
        "description": "The LDAP directory of a host with C(authentication: ldap); its password is never "
        "logged and masked in diffs.",
        "type": "dict",
        "options": LDAP,
    },
    "allow_registration": {
        "description": "Public in-band registration on this host (also list C(register) in its C(modules_enabled)).",
        "type": "bool",
    },
    "storage": {
        "description": "Storage backend of this host: a backend name, or a table of store name to backend.",
        "type": "raw",
    },
    "sql": {
        "description": "SQL connection of this host; the password is never logged and masked in diffs.",
        "type": "dict",
        "options": SQL,
    },
    "settings": {
        "description": "Further options of this host, rendered through the Lua serializer.",
        "type": "dict",
    },
}
# The VHOST keys that are rendered as Prosody options of the same name.
VHOST_OPTIONS = (
    "admins",
    "modules_enabled",
    "modules_disabled",
    "authentication",
    "allow_registration",
    "storage",
    "sql",
)

COMPONENT_TYPES = ["muc", "http_file_share", "proxy65", "pubsub", "external"]
COMPONENT = {
    "name": {
        "description": "Domain of the component; a subdomain of a host shares that host's certificate.",
        "type": "str",
        "required": True,
    },
    "type": {
        "description": "Component module, or C(external) for a component that connects with a secret; "
        "required for a component that is present.",
        "type": "str",
        "choices": COMPONENT_TYPES,
        "required_in_role": True,
    },
    "state": STATE,
    "enabled": {
        "description": "Whether Prosody serves the component.",
        "type": "bool",
        "default": True,
    },
    "modules_enabled": {
        "description": "Modules loaded on the component (components do not inherit the server-wide list). "
        "Not given, a C(muc) component loads C(muc_mam) (archives in rooms); C([]) loads none.",
        "type": "list",
        "elements": "str",
    },
    "secret": {
        "description": "Shared secret of an external component. Never logged, masked in diffs.",
        "type": "str",
        "no_log": True,
    },
    "settings": {
        "description": "Further options of the component, rendered through the Lua serializer.",
        "type": "dict",
    },
}

CERTIFICATE = {
    "name": {
        "description": "The host the certificate is for.",
        "type": "str",
        "required": True,
    },
    "certificate": {
        "description": "Certificate in PEM form (the chain may follow); give neither this nor C(certificate_src) "
        "(and no key) to have the issuer issue one.",
        "type": "str",
    },
    "key": {
        "description": "Private key in PEM form, unencrypted. Never logged.",
        "type": "str",
        "no_log": True,
    },
    "certificate_src": {
        "description": "Path of the certificate on the target, instead of C(certificate).",
        "type": "path",
    },
    "key_src": {
        "description": "Path of the key on the target, instead of C(key).",
        "type": "path",
    },
    "also_covers": {
        "description": "Further names the certificate must cover (for example C(*.<host>) for its components); "
        "an issued certificate lists them as subjectAltNames.",
        "type": "list",
        "elements": "str",
        "default": [],
    },
}

ACCOUNT = {
    "jid": {"description": "The account's bare JID, on a host the server serves.", "type": "str", "required": True},
    "password": {
        "description": "Its password; required for an account that is present. Never logged.",
        "type": "str",
        "no_log": True,
    },
    "state": {
        "description": "Whether the account exists.",
        "type": "str",
        "choices": ["present", "absent"],
        "default": "present",
    },
    "update_password": {
        "description": "C(always) sets the password when the stored one differs; C(on_create) sets it only when "
        "the account is created and never touches an existing password.",
        "type": "str",
        "choices": ["always", "on_create"],
        "default": "always",
        "no_log": False,
    },
    "role": {
        "description": "The account's role on its host (Prosody 13, for example C(prosody:admin)); 0.12 has no roles.",
        "type": "str",
    },
}


# A community module (xmpp.prosody.community's modules, config's and workspace's community).
COMMUNITY = {
    "name": {"description": "The module's name, without C(mod_).", "type": "str", "required": True},
    "source": {
        "description": [
            "An absolute path on the host - the module's directory, a directory that holds it (such as a "
            "prosody-modules checkout), or an archive (C(.tar.gz), C(.tar.xz), C(.zip)) that holds it.",
            "Not given - Debian's C(prosody-modules) package, which must be installed (the roles install it).",
        ],
        "type": "str",
    },
    "checksum": {
        "description": "The module's digest, C(sha256:<hex>), as the modules report it; required with a C(source).",
        "type": "str",
    },
    "enabled": {
        "description": [
            "Whether it is loaded on every host (false - installed only, for a component).",
            "The roles and M(xmpp.prosody.workspace) load it; M(xmpp.prosody.config) and "
            "M(xmpp.prosody.community) only install it.",
        ],
        "type": "bool",
        "default": True,
    },
}

# Calls: the TURN server whose credentials Prosody hands out (config's and workspace's turn).
TURN = {
    "secret": {
        "description": "The secret Prosody and the TURN server share (16 characters or more); never logged, masked.",
        "type": "str",
        "required": True,
        "no_log": True,
    },
    "host": {
        "description": "The TURN server's name or address as clients reach it; not given - each host's own name.",
        "type": "str",
    },
    "port": {"description": "The TURN server's port.", "type": "int", "default": 3478},
    "realm": {"description": "coturn's realm; not given - the TURN host, else the first host.", "type": "str"},
    "install": {
        "description": "Whether the TURN server is coturn on this host (false - a TURN server elsewhere, same secret).",
        "type": "bool",
        "default": True,
    },
    "external_ip": {"description": "The public address coturn announces when the host is behind NAT.", "type": "str"},
    "relay_ports": {
        "description": "The UDP port range coturn relays on (open it in the firewall).",
        "type": "str",
        "default": "49152-65535",
    },
}


def _pick(option: dict, keys, convert, nested: str = "options") -> dict:
    picked = {k: v for k, v in option.items() if k in keys}
    if "options" in option:
        picked[nested] = convert(option["options"])
    return picked


def argument_spec(schema: dict) -> dict:
    """Suboptions for AnsibleModule."""
    return {name: _pick(option, SPEC_KEYS, argument_spec) for name, option in schema.items()}


def documentation(schema: dict) -> dict:
    """Suboptions as a module's DOCUMENTATION states them."""
    return {name: _pick(option, DOC_KEYS, documentation, "suboptions") for name, option in schema.items()}


def role_options(schema: dict) -> dict:
    """Suboptions as a role's argument spec states them: no state, present items need what present needs."""
    options = {}
    for name, option in schema.items():
        if option.get("module_only"):
            continue
        option = _pick(option, (*DOC_KEYS, "no_log"), role_options)
        if schema[name].get("required_in_role"):
            option["required"] = True
        options[name] = option
    return options


def given(values: dict | None) -> dict:
    """A dict option without the suboptions Ansible filled in as None (they were not given)."""
    return {k: v for k, v in (values or {}).items() if v is not None}
