# Copyright (c) 2026, xmpp.prosody contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Note that this module util is **PRIVATE** to the collection. It can have breaking changes at any time.
# Do not use this from other collections or standalone plugins/modules!
"""Community modules (prosody-modules) in the tier's community directory, pinned by content.

A module comes from Debian's ``prosody-modules`` package (which puts every module it has in Prosody's
own module directory) or from a directory or archive on the host. Either way its files are copied into
the tier's community directory, which comes first on ``plugin_paths``: what Prosody loads changes only
when a run copies it, never behind the operator's back when the package is upgraded. A module the
Prosody release ships itself (``cloud_notify`` in 13) is not copied: the release's own is used, and a
copy made for an older release is removed, so that it cannot shadow it.

A module's identity is the digest of its files (``sha256:`` of every relative path and its content's
sha256). ``checksum`` pins it: a source whose files differ is refused before anything changes.
The directory's manifest (``.xmpp-prosody.json``) lists the modules the collection copied there; a
module the collection did not copy is never touched.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import tarfile
import zipfile

from ansible_collections.xmpp.prosody.plugins.module_utils._fs import read_text, write_atomic
from ansible_collections.xmpp.prosody.plugins.module_utils._option_syntax import ConfigError, check_modules
from ansible_collections.xmpp.prosody.plugins.module_utils._packages import QUERY_FORMAT, installed, parse
from ansible_collections.xmpp.prosody.plugins.module_utils._schema import COMMUNITY, argument_spec

SYSTEM = "/usr/lib/prosody/modules"  # Debian: Prosody's own modules, and where prosody-modules puts its
PACKAGE = "prosody-modules"
BUNDLED_LIST = "/var/lib/dpkg/info/prosody.list"  # the files of Debian's prosody package
MANIFEST = ".xmpp-prosody.json"
CHECKSUM = re.compile(r"sha256:[0-9a-f]{64}")
ARCHIVES = (".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".tar", ".zip")
SPEC = argument_spec(COMMUNITY)  # the suboptions of a module, wherever modules take a list of them
# module files are code Prosody reads: root's (the developer's in a workspace), readable by everyone
DIR_MODE, FILE_MODE = 0o755, 0o644


class CommunityError(ConfigError):
    """A community module the collection refuses to install; the message names the field and the fix."""


def normalize(items, field: str = "community") -> list[dict]:
    """The declared modules, each {name, source, checksum, enabled}; a bare string is a name."""
    if items is not None and not isinstance(items, list):
        raise CommunityError("%s: give a list of module names (or dicts with name), e.g. [cloud_notify]" % field)
    found, seen = [], set()
    for index, raw in enumerate(items or []):
        where = "%s[%d]" % (field, index)
        item = {"name": raw} if isinstance(raw, str) else dict(raw) if isinstance(raw, dict) else None
        if item is None:
            raise CommunityError("%s: give a module name or a dict with name (and source, checksum)" % where)
        unknown = set(item) - {"name", "source", "checksum", "enabled"}
        if unknown:
            raise CommunityError("%s: unknown keys %s; use name, source, checksum, enabled" % (where, sorted(unknown)))
        name = item.get("name")
        try:
            check_modules([name], where + ".name")
        except ConfigError as exc:  # said of the one name, not of a list
            raise CommunityError(str(exc).replace(where + ".name[0]", where + ".name")) from exc
        if name in seen:
            raise CommunityError("%s.name: %s is listed twice" % (where, name))
        seen.add(name)
        source, checksum = item.get("source") or None, item.get("checksum") or None
        sound = isinstance(source, str) and os.path.isabs(source) and ".." not in source.split("/")
        if source is not None and not sound:
            raise CommunityError("%s.source: give an absolute path on the host (a directory or an archive)" % where)
        if source and not checksum:
            raise CommunityError(
                "%s.checksum: a module from %s needs its checksum, so that what runs is what you reviewed; give "
                "sha256: and 64 zeros and a check run names the module's digest" % (where, source)
            )
        if checksum is not None and not (isinstance(checksum, str) and CHECKSUM.fullmatch(checksum)):
            raise CommunityError("%s.checksum: expected sha256: and 64 lowercase hex digits" % where)
        enabled = item.get("enabled", True)
        if not isinstance(enabled, bool):
            raise CommunityError("%s.enabled: true (loaded on every host) or false (installed only)" % where)
        found.append({"name": name, "source": source, "checksum": checksum, "enabled": enabled})
    return found


def requirements(items: list[dict]) -> dict:
    """What the declared modules (normalized) need: the packages (prosody-modules for a module that
    comes from it) and the names loaded on every host."""
    return {
        "packages": [PACKAGE] if any(item["source"] is None for item in items) else [],
        "enabled": [item["name"] for item in items if item["enabled"]],
    }


def digest(files: dict) -> str:
    """The identity of a module's files ({relative path: bytes})."""
    lines = "".join("%s\0%s\n" % (path, hashlib.sha256(files[path]).hexdigest()) for path in sorted(files))
    return "sha256:" + hashlib.sha256(lines.encode("utf-8")).hexdigest()


def _safe(path: str) -> bool:
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and ".." not in parts and "" not in parts


def read_directory(base: str, name: str) -> dict | None:
    """The files of mod_<name> under ``base`` (a directory mod_<name>/, or a single mod_<name>.lua), or
    None. Links are not followed: a module is regular files."""
    directory, single = os.path.join(base, "mod_" + name), os.path.join(base, "mod_%s.lua" % name)
    if os.path.isdir(directory) and not os.path.islink(directory):
        files = {}
        for top, dirs, names in os.walk(directory):
            dirs[:] = sorted(d for d in dirs if not os.path.islink(os.path.join(top, d)))
            for file_name in names:
                path = os.path.join(top, file_name)
                if os.path.isfile(path) and not os.path.islink(path):
                    with open(path, "rb") as handle:
                        files[os.path.relpath(path, directory)] = handle.read()
        return files if "mod_%s.lua" % name in files else None
    if os.path.isfile(single) and not os.path.islink(single):
        with open(single, "rb") as handle:
            return {"mod_%s.lua" % name: handle.read()}
    return None


def read_archive(data: bytes, path: str, name: str) -> dict | None:
    """The files of mod_<name> inside an archive (a prosody-modules snapshot, or the module alone)."""
    members = {}
    if path.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    members[info.filename] = archive.read(info)
    else:
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            for info in archive.getmembers():
                if info.isfile():
                    members[info.name] = archive.extractfile(info).read()
    directory = "mod_%s/" % name
    files = {}
    for member, content in members.items():
        member = member[2:] if member.startswith("./") else member
        if not _safe(member):
            continue
        parts = member.split("/")
        if directory[:-1] in parts[:-1]:  # .../mod_<name>/<file>
            files["/".join(parts[parts.index(directory[:-1]) + 1 :])] = content
        elif parts[-1] == "mod_%s.lua" % name and not files:
            files = {parts[-1]: content}
    return files if "mod_%s.lua" % name in files else None


def read_source(source: str, name: str) -> dict | None:
    """The module's files from an archive, the module's own directory, or a directory holding it."""
    if source.endswith(ARCHIVES):
        with open(source, "rb") as handle:
            return read_archive(handle.read(), source, name)
    source = source.rstrip("/")
    if os.path.basename(source) == "mod_" + name:
        return read_directory(os.path.dirname(source), name)
    return read_directory(source, name)


def bundled_names(listing: str) -> set:
    """The modules Prosody's own package ships, from its file list."""
    names = set()
    for line in listing.splitlines():
        if line.startswith(SYSTEM + "/") and line.endswith(".lua"):
            parts = line[len(SYSTEM) + 1 : -4].split("/")  # mod_x.lua, or mod_x/mod_x.lua
            if parts[0].startswith("mod_") and (len(parts) == 1 or parts == [parts[0], parts[0]]):
                names.add(parts[0][4:])
    return names


def read_manifest(directory: str) -> dict:
    text = read_text(os.path.join(directory, MANIFEST))
    try:
        manifest = json.loads(text) if text else {}
    except ValueError:
        manifest = {}
    return manifest if isinstance(manifest, dict) else {}


def plan(
    items: list[dict],
    directory: str,
    bundled: set,
    read,
    versions: dict,
    predict: bool = False,
    field: str = "community",
) -> list[dict]:
    """What to do with each declared module and with the copies no longer declared.

    ``read(item)`` returns the module's files from its source (or None); ``versions`` names the
    installed Prosody and prosody-modules for the messages, which name ``field``. Each step: name, source, action (copy,
    keep, bundled, remove), digest, and the files to write (copy)."""
    manifest, steps = read_manifest(directory), []
    for index, item in enumerate(items):
        where = "%s[%d]" % (field, index)
        if item["source"] is None and item["name"] in bundled:
            action = "remove" if item["name"] in manifest else "bundled"
            steps.append({"name": item["name"], "source": "prosody", "action": action, "digest": None})
            continue
        files = read(item)
        if files is None and predict:  # a check run before the packages (or the image): copied, then
            steps.append({"name": item["name"], "source": item["source"] or PACKAGE, "action": "copy", "digest": None})
            continue
        if files is None:
            origin = item["source"] or "Prosody %(prosody)s or prosody-modules %(modules)s" % versions
            raise CommunityError(
                "%s.name: no module %s in %s; check the name, or give its source" % (where, item["name"], origin)
            )
        found = digest(files)
        if item["checksum"] and found != item["checksum"]:
            raise CommunityError(
                "%s.checksum: %s from %s has the digest %s, not %s; review the change and pin the new digest"
                % (where, item["name"], item["source"] or PACKAGE, found, item["checksum"])
            )
        current = read_directory(directory, item["name"])
        if item["name"] not in manifest:
            _refuse_theirs(directory, item["name"], current == files, where)
        action = "keep" if current == files and item["name"] in manifest else "copy"
        step = {"name": item["name"], "source": item["source"] or PACKAGE, "action": action, "digest": found}
        steps.append(dict(step, files=files) if action == "copy" else step)
    declared = {item["name"] for item in items}
    for name in sorted(set(manifest) - declared):
        steps.append({"name": name, "source": manifest[name].get("source"), "action": "remove", "digest": None})
    return steps


def _refuse_theirs(directory: str, name: str, same: bool, where: str) -> None:
    """A module of that name the collection did not copy is never overwritten (unless it is already exactly
    the copy, which the collection then takes over)."""
    folder, single = os.path.join(directory, "mod_" + name), os.path.join(directory, "mod_%s.lua" % name)
    if os.path.lexists(single) or (os.path.lexists(folder) and not (same and os.path.isdir(folder))):
        raise CommunityError(
            "%s.name: %s already holds a mod_%s that the collection did not copy; move it elsewhere (or give it "
            "as this module's source), so that nothing of yours is overwritten" % (where, directory, name)
        )


def apply(steps: list[dict], directory: str, uid: int = 0, gid: int = 0) -> None:
    """Write the planned copies (each module's directory replaced whole) and removals, then the manifest;
    files belong to root, or to the developer in a dev workspace (``uid``, ``gid``)."""
    os.makedirs(directory, DIR_MODE, exist_ok=True)
    manifest = read_manifest(directory)
    for step in steps:
        target = os.path.join(directory, "mod_" + step["name"])
        if step["action"] == "copy":
            staging = target + ".xmpp-prosody-new"
            shutil.rmtree(staging, ignore_errors=True)
            for path, content in step["files"].items():
                os.makedirs(os.path.dirname(os.path.join(staging, path)), DIR_MODE, exist_ok=True)
                write_atomic(os.path.join(staging, path), content, uid, gid, FILE_MODE)
            _replace(staging, target)
            manifest[step["name"]] = {"source": step["source"], "digest": step["digest"]}
        elif step["action"] == "remove":
            if os.path.isdir(target) and not os.path.islink(target):
                shutil.rmtree(target)
            manifest.pop(step["name"], None)
    content = (json.dumps(manifest, indent=1, sort_keys=True) + "\n").encode("utf-8")
    write_atomic(os.path.join(directory, MANIFEST), content, uid, gid, FILE_MODE)


def _replace(staging: str, target: str) -> None:
    old = target + ".xmpp-prosody-old"
    shutil.rmtree(old, ignore_errors=True)
    if os.path.lexists(target):
        os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def _versions(found: dict) -> dict:
    missing = "(not installed)"
    return {"prosody": found.get("prosody") or missing, "modules": found.get(PACKAGE) or missing}


def _from_host(module) -> tuple[str, dict, None]:
    """The prosody package's file list and the installed versions, on the host."""
    return read_text(BUNDLED_LIST) or "", _versions(installed(module, ["prosody", PACKAGE])), None


def _from_image(module, docker: str, image: str, names: list) -> tuple[str, dict, bytes] | None:
    """The same from a container tier's image (the host has no Prosody), with a tar of the named modules
    in its module directory; None when the image is not there yet."""
    if module.run_command([docker, "image", "inspect", image])[0] != 0:
        return None
    script = (
        "dpkg-query -W -f '%s' prosody %s 2>/dev/null; echo ---; cat %s; echo ---; "
        'cd %s && for n; do ls -d "mod_$n" "mod_$n.lua" 2>/dev/null; done | tar -cf - -T - | base64 -w0'
        % (QUERY_FORMAT, PACKAGE, BUNDLED_LIST, SYSTEM)
    )
    argv = [docker, "run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", image, "-c", script, "sh"]
    rc, out, err = module.run_command([*argv, *names])
    if rc != 0:
        raise CommunityError("container.image: %s cannot be read: %s" % (image, err.strip()))
    versions, listing, archive = out.split("---\n", 2)
    return listing, _versions(parse(versions)), base64.b64decode(archive.strip() or b"")


def plan_here(module, server, directory: str, items: list[dict], field: str = "community") -> list[dict]:
    """The plan for the declared modules on this host: their sources read where Prosody is installed (the
    host, or the container's image: the module's container.image option). In check mode, what cannot be
    read yet (no package, no image) is predicted to be copied."""
    image = server.image
    if server.in_container:
        server.require()
        found = _from_image(module, server.docker, image, [i["name"] for i in items if i["source"] is None])
    else:
        found = _from_host(module)
    if found is None:  # the image is built later in the run
        if not module.check_mode:
            raise CommunityError("container.image: %s does not exist; build it first" % image)
        found = ("", {"prosody": "(no image yet)", "modules": "(no image yet)"}, b"")
    listing, versions, archive = found

    def read(item):
        if item["source"]:
            return read_source(item["source"], item["name"])
        if archive is not None:
            return read_archive(archive, "image.tar", item["name"]) if archive else None
        return read_directory(SYSTEM, item["name"])

    return plan(items, directory, bundled_names(listing), read, versions, predict=module.check_mode, field=field)


def outcome(steps: list[dict]) -> list[dict]:
    """The steps as modules report them."""
    return [{key: step[key] for key in ("name", "source", "action", "digest")} for step in steps]


def diff(steps: list[dict], directory: str) -> dict:
    """Which module directories change, and the digest each copy gets."""
    where = {s["name"]: os.path.join(directory, "mod_" + s["name"]) for s in steps}
    return {
        "before": "".join("%s\n" % where[s["name"]] for s in steps if s["action"] == "remove"),
        "after": "".join("%s %s\n" % (where[s["name"]], s["digest"]) for s in steps if s["action"] == "copy"),
    }


def changing(steps: list[dict]) -> list[dict]:
    return [step for step in steps if step["action"] in ("copy", "remove")]
