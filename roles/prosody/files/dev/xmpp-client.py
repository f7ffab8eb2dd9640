# Managed by the role xmpp.prosody.dev; edits here are overwritten.
"""A real XMPP client (slixmpp) for the workspace's tests.

  xmpp-client.py count FILE       the number of accounts in a fixtures file
  xmpp-client.py fixtures FILE    the prosodyctl shell commands that create its accounts
  xmpp-client.py accounts FILE    log in with each account, and check a wrong password is refused
  xmpp-client.py login --jid J    log in once (password from $XMPP_PASSWORD)
  xmpp-client.py ask --jid J --to T --body B --expect E
                                  log in, send B to T and wait for a reply whose body is E

Logins use STARTTLS on 127.0.0.1 and verify the server's certificate against --cafile.
"""

import argparse
import asyncio
import inspect
import json
import logging
import os
import ssl
import sys

logging.basicConfig(level=logging.CRITICAL)  # before slixmpp, which warns about its stringprep on import
import slixmpp  # noqa: E402


def lua_string(text):
    """A Lua string literal of any text: every byte that is not a letter or digit as a three-digit decimal
    escape (a shorter one would take the digits after it along)."""
    return '"%s"' % "".join(chr(b) if chr(b).isalnum() and b < 128 else "\\%03d" % b for b in text.encode("utf-8"))


class Login(slixmpp.ClientXMPP):
    """Logs in; with ``ask`` (to, body, expected reply) it also sends a message and waits for the reply."""

    def __init__(self, jid, password, cafile, ask=None):
        super().__init__(jid, password)
        self.ssl_context = ssl.create_default_context(cafile=cafile)
        self.outcome = None
        self.ask = ask
        self.done = asyncio.Event()
        self.add_event_handler("session_start", self.on_session_start)
        self.add_event_handler("message", self.on_message)
        # failed_all_auth: every mechanism was tried (failed_auth comes once per mechanism)
        for event in ("failed_all_auth", "connection_failed", "ssl_invalid_chain"):
            self.add_event_handler(event, lambda reason, event=event: self.finish("%s: %s" % (event, reason)))
        self.add_event_handler("disconnected", lambda _event: self.done.set())

    def on_session_start(self, _event):
        if not self.ask:
            self.finish("ok")
            return
        to, body, _expected = self.ask
        self.send_message(mto=to, mbody=body, mtype="chat")

    def on_message(self, message):
        if self.ask and message["body"] == self.ask[2]:
            self.finish("ok")

    def finish(self, outcome):
        if self.outcome is None:
            self.outcome = outcome
        self.disconnect()


async def login(jid, password, port, cafile, timeout=20.0, ask=None):
    client = Login(jid, password, cafile, ask)
    if "address" in inspect.signature(client.connect).parameters:  # slixmpp 1.8 (Debian 12)
        client.connect(address=("127.0.0.1", port))
    else:  # slixmpp 1.9 and later would try direct TLS first: STARTTLS on the c2s port
        client.enable_direct_tls = False
        client.enable_starttls = True
        client.enable_plaintext = False
        client.connect(host="127.0.0.1", port=port)
    try:
        await asyncio.wait_for(client.done.wait(), timeout)
    except TimeoutError:
        client.outcome = client.outcome or "timed out after %ss" % timeout
        client.disconnect()
    return client.outcome or "disconnected"


LOOP = asyncio.new_event_loop()  # one loop for every login: slixmpp's clients outlive their login
asyncio.set_event_loop(LOOP)


def run(coroutine):
    return LOOP.run_until_complete(coroutine)


def accounts(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def check_accounts(args):
    failed = 0
    for account in accounts(args.file):
        outcome = run(login(account["jid"], account["password"], args.port, args.cafile))
        print("%s: %s" % (account["jid"], "logged in" if outcome == "ok" else outcome))
        failed += outcome != "ok"
    first = accounts(args.file)[0]
    outcome = run(login(first["jid"], first["password"] + "-wrong", args.port, args.cafile))
    refused = outcome.startswith("failed_all_auth")
    print("%s with a wrong password: %s" % (first["jid"], "refused" if refused else outcome))
    return 1 if failed or not refused else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("count", "fixtures", "accounts"):
        command = commands.add_parser(name)
        command.add_argument("file")
    for command in (commands.choices["accounts"], commands.add_parser("login"), commands.add_parser("ask")):
        command.add_argument("--port", type=int, default=int(os.environ.get("XMPP_PORT", "5222")))
        command.add_argument(
            "--cafile", default=os.environ.get("XMPP_CAFILE"), required="XMPP_CAFILE" not in os.environ
        )
    for name in ("login", "ask"):
        commands.choices[name].add_argument("--jid", required=True)
    for name in ("to", "body", "expect"):
        commands.choices["ask"].add_argument("--" + name, required=True)
    args = parser.parse_args()
    if args.command == "count":
        print(len(accounts(args.file)))
    elif args.command == "fixtures":
        for account in accounts(args.file):
            print("user:create(%s, %s)" % (lua_string(account["jid"]), lua_string(account["password"])))
    elif args.command == "accounts":
        return check_accounts(args)
    else:
        ask = (args.to, args.body, args.expect) if args.command == "ask" else None
        outcome = run(login(args.jid, os.environ.get("XMPP_PASSWORD", ""), args.port, args.cafile, ask=ask))
        done = "got %r" % args.expect if ask else "logged in"
        print("%s: %s" % (args.jid, done if outcome == "ok" else outcome))
        return 0 if outcome == "ok" else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
