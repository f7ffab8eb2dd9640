# SPDX-License-Identifier: GPL-3.0-or-later
"""A real XMPP client login, run inside the test container against 127.0.0.1.

Authenticates over STARTTLS, verifying the server certificate against --cafile for the JID's
domain, optionally sends one message, uploads, fetches, adds a contact, reads the roster and the message
archive, asks the server for the features clients look for (--features), and prints one JSON line with
what happened.
Exit code 0 only when the login succeeded (and the message was sent).
Works with slixmpp 1.8 (Debian 12) and 1.10 (Debian 13).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import inspect
import json
import logging
import os
import socket
import ssl
import sys
import urllib.parse
import urllib.request

import slixmpp
from slixmpp.xmlstream import ET
from slixmpp.xmlstream.handler import Callback
from slixmpp.xmlstream.matcher import MatchXPath

MAM = "urn:xmpp:mam:2"
DISCO_INFO = "http://jabber.org/protocol/disco#info"
DISCO_ITEMS = "http://jabber.org/protocol/disco#items"
DATA = "jabber:x:data"


def payload(args) -> bytes:
    """What --upload-to sends: the message, or --upload-bytes of a repeated pattern."""
    if not args.upload_bytes:
        return args.message.encode()
    pattern = b"xmpp.prosody upload "
    return (pattern * (args.upload_bytes // len(pattern) + 1))[: args.upload_bytes]


class Probe(slixmpp.ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid, args.password)
        self.args = args
        self.result = {"jid": args.jid, "authenticated": False}
        self.stream_features = set()  # namespaces of every stream features element, before and after login
        self.done = asyncio.Event() if sys.version_info >= (3, 10) else None
        context = ssl.create_default_context(cafile=args.cafile)
        self.ssl_context = context
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("failed_auth", self.on_failed)
        self.add_event_handler("disconnected", self.on_disconnected)
        self.add_event_handler("connection_failed", self.on_failed)
        self.add_event_handler("ssl_invalid_chain", self.on_failed)
        self.add_event_handler("stream_error", self.on_stream_error)
        self.register_plugin("xep_0030")
        self.register_plugin("xep_0045")
        self.register_plugin("xep_0363")

    async def on_session_start(self, _event):
        self.result.update(authenticated=True, bound_jid=str(self.boundjid))
        tls = self.socket and hasattr(self.socket, "version") and self.socket.version()
        self.result["tls"] = tls or "unknown"
        if tls:  # the certificate the server presented (verified): which one it serves
            self.result["cert_serial"] = (self.socket.getpeercert() or {}).get("serialNumber")
        try:
            if self.args.send_to:
                self.send_message(mto=self.args.send_to, mbody=self.args.message, mtype="chat")
                self.result["sent_to"] = self.args.send_to
                await asyncio.sleep(1)  # let the stanza leave before the stream closes
            if self.args.join_room:
                await self.join_room(self.args.join_room)
            if self.args.upload_to:
                await self.upload(self.args.upload_to, payload(self.args))
            if self.args.fetch:
                with self.http(urllib.request.Request(self.args.fetch)) as response:
                    body = response.read()
                self.result.update(fetched_bytes=len(body), fetched_sha256=hashlib.sha256(body).hexdigest())
            if self.args.add_contact:
                await self.update_roster(self.args.add_contact, name="probe contact")
            if self.args.roster:
                await self.get_roster()
                self.result["roster"] = sorted(str(jid) for jid in self.client_roster if jid != self.boundjid.bare)
            if self.args.archive:
                self.result["archive"] = await self.archive()
            if self.args.turn:
                self.result["turn"] = await self.turn_services()
            if self.args.features:
                self.result["features"] = await self.offered_features(json.loads(self.args.features))
            if self.args.stay:  # stay connected for a while: did anything end the session meanwhile?
                await asyncio.sleep(self.args.stay)
                self.result["stayed"] = not self.done.is_set()
        except Exception as exc:  # report any step's failure in the JSON line
            self.result["error"] = "%s: %s" % (type(exc).__name__, exc)
        self.disconnect()

    async def _handle_stream_features(self, features):
        self.stream_features.update(child.tag[1:].split("}")[0] for child in features.xml if child.tag[:1] == "{")
        return await super()._handle_stream_features(features)

    async def disco(self, jid, namespace=DISCO_INFO):
        """The answer to a disco#info (or #items) query, as XML."""
        iq = self.Iq()
        iq["type"], iq["to"] = "get", jid
        iq.xml.append(ET.Element("{%s}query" % namespace))
        return (await iq.send(timeout=10)).xml

    async def offered(self, jid) -> set:
        """What a disco#info answer offers: its feature vars, identity:<category>/<type>, and field:<var> for
        each field of an extended form (XEP-0128) that has a value."""
        xml = await self.disco(jid)
        found = {f.get("var") for f in xml.iter("{%s}feature" % DISCO_INFO)}
        found |= {"identity:%s/%s" % (i.get("category"), i.get("type")) for i in xml.iter("{%s}identity" % DISCO_INFO)}
        for field in xml.iter("{%s}field" % DATA):
            if any(value.text for value in field.iter("{%s}value" % DATA)):
                found.add("field:%s" % field.get("var"))
        return found

    async def offered_features(self, checks) -> dict:
        """{key: offered} for each [key, where, var] check (see plugins/module_utils/_features.py)."""
        domain = self.boundjid.domain
        items = await self.disco(domain, DISCO_ITEMS)
        services = {}
        for item in items.iter("{%s}item" % DISCO_ITEMS):
            services[item.get("jid")] = await self.offered(item.get("jid"))
        offered = {
            "stream": self.stream_features,
            "server": await self.offered(domain),
            "account": await self.offered(self.boundjid.bare),
            "service": set().union(*services.values()),
            "room": set(),
        }
        muc = sorted(jid for jid, found in services.items() if "identity:conference/text" in found)
        if muc:  # a room of its own: created by joining, then configured as it is (an instant room)
            room = "probe-features-%s@%s" % (os.getpid(), muc[0])
            await self.join_room(room + "/probe")
            iq = self.Iq()
            iq["type"], iq["to"] = "set", room
            query = ET.SubElement(iq.xml, "{http://jabber.org/protocol/muc#owner}query")
            ET.SubElement(query, "{%s}x" % DATA, type="submit")
            await iq.send(timeout=10)
            offered["room"] = await self.offered(room)
        return {key: var in offered[where] for key, where, var in checks}

    async def turn_services(self) -> list:
        """The TURN services the server offers this account (XEP-0215), with their credentials."""
        iq = self.Iq()
        iq["type"], iq["to"] = "get", self.boundjid.domain
        ET.SubElement(iq.xml, "{urn:xmpp:extdisco:2}services", type="turn")
        answer = (await iq.send(timeout=10)).xml
        keys = ("host", "port", "transport", "username", "password")
        return [{key: s.get(key) for key in keys} for s in answer.iter("{urn:xmpp:extdisco:2}service")]

    async def join_room(self, room_jid):
        """Join a MUC room; the server's self-presence (status 110) proves the join."""
        room, _sep, nick = room_jid.partition("/")
        joined = asyncio.Event()

        def on_presence(presence):
            if presence["from"].bare == room and presence["muc"]["nick"] == nick:
                joined.set()

        self.add_event_handler("muc::%s::presence" % room, on_presence)
        self.plugin["xep_0045"].join_muc(room, nick)
        await asyncio.wait_for(joined.wait(), 10)
        self.result["joined"] = room_jid

    async def upload(self, service, payload):
        """Request an HTTP upload slot (XEP-0363) from the service and PUT the payload there."""
        slot = await self.plugin["xep_0363"].request_slot(
            slixmpp.JID(service), "probe.txt", len(payload), "text/plain", timeout=10
        )
        put = slot["http_upload_slot"]["put"]
        headers = {h["name"]: h["value"] for h in put["headers"]} if put["headers"] else {}
        headers["Content-Type"] = "text/plain"
        request = urllib.request.Request(put["url"], data=payload, method="PUT", headers=headers)
        with self.http(request) as response:
            self.result["upload_status"] = response.status
        self.result["upload_sha256"] = hashlib.sha256(payload).hexdigest()
        self.result["upload_url"] = slot["http_upload_slot"]["get"]["url"]

    @contextlib.contextmanager
    def http(self, request):
        """An HTTPS request whose host name leads to --host (127.0.0.1), whatever the client's resolver
        says; the certificate is verified for that name against the same CA file."""
        name, real = urllib.parse.urlsplit(request.full_url).hostname, socket.getaddrinfo

        def resolve(host, *args, **kwargs):
            return real(self.args.host if host == name else host, *args, **kwargs)

        context = ssl.create_default_context(cafile=self.args.cafile)
        socket.getaddrinfo = resolve
        try:
            with urllib.request.urlopen(request, timeout=10, context=context) as response:
                yield response
        finally:
            socket.getaddrinfo = real

    async def archive(self):
        """The bodies of the account's message archive (XEP-0313), oldest first."""
        bodies = []

        def on_result(message):
            bodies.extend(body.text for body in message.xml.iter("{jabber:client}body"))

        matcher = MatchXPath("{jabber:client}message/{%s}result" % MAM)
        self.register_handler(Callback("probe archive", matcher, on_result))
        iq = self.Iq()
        iq["type"] = "set"
        iq.xml.append(ET.Element("{%s}query" % MAM, queryid="probe"))
        await iq.send(timeout=10)  # the result iq comes after every result message
        return bodies

    def on_failed(self, event):
        self.result["error"] = str(event)
        self.disconnect()
        self.done.set()

    def on_stream_error(self, error):
        # e.g. host-unknown for a host the server does not serve (or serves disabled)
        self.result["stream_error"] = error["condition"]

    def on_disconnected(self, _event):
        self.done.set()


async def run(args) -> dict:
    probe = Probe(args)
    probe.done = asyncio.Event()
    if "address" in inspect.signature(probe.connect).parameters:  # slixmpp 1.8
        probe.connect(address=(args.host, args.port))
    else:  # slixmpp >= 1.9 would try direct TLS first: insist on STARTTLS on the c2s port
        probe.enable_direct_tls = False
        probe.enable_starttls = True
        probe.enable_plaintext = False
        probe.connect(host=args.host, port=args.port)
    try:
        await asyncio.wait_for(probe.done.wait(), args.timeout)
    except TimeoutError:
        probe.result.setdefault("error", "timed out after %ss" % args.timeout)
    return probe.result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jid", required=True)
    parser.add_argument(
        "--password", default=os.environ.get("XMPP_PASSWORD"), help="default: $XMPP_PASSWORD (kept out of argv)"
    )
    parser.add_argument("--cafile", required=True, help="PEM file the server certificate must chain to")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5222)
    parser.add_argument("--send-to")
    parser.add_argument("--message", default="hello from xmpp.prosody")
    parser.add_argument("--join-room", help="room@service/nick to join after login")
    parser.add_argument("--upload-to", help="HTTP upload service to upload --message to")
    parser.add_argument("--upload-bytes", type=int, default=0, help="upload this many bytes instead of --message")
    parser.add_argument("--fetch", help="HTTPS URL to GET after the steps (its body is reported)")
    parser.add_argument("--add-contact", help="JID to add to the roster")
    parser.add_argument("--roster", action="store_true", help="report the roster's JIDs")
    parser.add_argument("--archive", action="store_true", help="report the message archive's bodies (MAM)")
    parser.add_argument("--turn", action="store_true", help="report the TURN services offered (XEP-0215)")
    parser.add_argument("--features", help="JSON list of [key, where, var]: report {key: offered}")
    parser.add_argument("--stay", type=float, default=0, help="seconds to stay connected after the steps")
    parser.add_argument("--timeout", type=float, default=20)
    args = parser.parse_args()
    if not args.password:
        parser.error("give --password or set XMPP_PASSWORD")
    logging.basicConfig(level=logging.ERROR)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    result = loop.run_until_complete(run(args))
    print(json.dumps(result, sort_keys=True))
    return 0 if result["authenticated"] and "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
