# SPDX-License-Identifier: GPL-3.0-or-later
"""A real XMPP client login, run inside the test container against 127.0.0.1.

Authenticates over STARTTLS, verifying the server certificate against --cafile for the JID's
domain, optionally sends one message, and prints one JSON line with what happened.
Exit code 0 only when the login succeeded (and the message was sent).
Works with slixmpp 1.8 (Debian 12) and 1.10 (Debian 13).
"""

from __future__ import annotations

import argparse
import asyncio
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


class Probe(slixmpp.ClientXMPP):
    def __init__(self, args):
        super().__init__(args.jid, args.password)
        self.args = args
        self.result = {"jid": args.jid, "authenticated": False}
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
                await self.upload(self.args.upload_to, self.args.message.encode())
            if self.args.stay:  # stay connected for a while: did anything end the session meanwhile?
                await asyncio.sleep(self.args.stay)
                self.result["stayed"] = not self.done.is_set()
        except Exception as exc:  # report any step's failure in the JSON line
            self.result["error"] = "%s: %s" % (type(exc).__name__, exc)
        self.disconnect()

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
        # The service's name leads to --host (127.0.0.1), whatever the client's resolver says; HTTPS is
        # verified for that name against the same CA file.
        name, real = urllib.parse.urlsplit(put["url"]).hostname, socket.getaddrinfo

        def resolve(host, *args, **kwargs):
            return real(self.args.host if host == name else host, *args, **kwargs)

        context = ssl.create_default_context(cafile=self.args.cafile)
        socket.getaddrinfo = resolve
        try:
            with urllib.request.urlopen(request, timeout=10, context=context) as response:
                self.result["upload_status"] = response.status
        finally:
            socket.getaddrinfo = real
        self.result["upload_url"] = slot["http_upload_slot"]["get"]["url"]

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
