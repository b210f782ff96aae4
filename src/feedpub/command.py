"""The `feedpub` command. A build that finds nothing changed since the last one answers from that build's record
(state/standing.py) before the CLI, its settings and the rest of feedpub are imported: a cron run every few
minutes is mostly this. Everything else goes to cli.run."""

from __future__ import annotations

import os
import sys


def run() -> None:
    if _names_decoded_otherwise():
        _run_again_in_utf8_mode()
    from feedpub.state.standing import replay

    try:
        # Printed as the CLI would only where the streams are there and take any text (click wraps the others).
        answer = replay(sys.argv[1:], os.environ) if _plain_utf8(sys.stdout) and _plain_utf8(sys.stderr) else None
    except Exception:  # a fault here must cost the time of a whole check, not the run
        if os.environ.get("FEEDPUB_DEBUG"):
            raise
        answer = None
    if answer is None:
        from feedpub.cli import run as run_cli

        run_cli()
        return
    from feedpub.streams import lose_stream

    # `feedpub build --json | head -c 100`: the reader has what it wanted; `> /dev/full`: the exit code says it all.
    for stream, lines in ((sys.stderr, answer.stderr), (sys.stdout, answer.stdout)):
        try:
            for line in lines:
                print(line, file=stream)
            stream.flush()
        except OSError as error:
            lose_stream(error, stream)
    sys.exit(answer.exit_code)


def _names_decoded_otherwise() -> bool:
    """Whether Python decodes file names (and git's output, and arguments) with another encoding than UTF-8 here:
    under a Latin-1 locale (cron reads /etc/default/locale), a post file named 2024-02-01-한국어.md was published at
    /2024/02/01/%C3%AD-%C3%AA%C2%B5-%C3%AC/, and at its real URL again by the next run under UTF-8."""
    return os.name == "posix" and not sys.flags.utf8_mode and _encoding_name(sys.getfilesystemencoding()) != "utf8"


def _run_again_in_utf8_mode() -> None:
    """Run this command again in a Python in UTF-8 mode, which decodes names as UTF-8 whatever the locale (Python
    cannot change how it decodes them once started); stay here when it cannot be started."""
    if not sys.executable:
        return
    # -P: nothing from the working folder (a site's own feedpub/ or click.py) can be imported in place of feedpub's,
    # which is found where this process found it. The command's name, for its messages, and its arguments as the
    # command got them: bytes, which the new process decodes as UTF-8.
    flags = [flag for flag, on in (("-I", sys.flags.isolated), ("-E", sys.flags.ignore_environment)) if on]
    start = "import sys; sys.argv[0] = sys.argv.pop(1); sys.path.insert(0, sys.argv.pop(1)); "
    start += "from feedpub.command import run; run()"
    package_parent = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    arguments = [os.fsencode(argument) for argument in [sys.argv[0], package_parent, *sys.argv[1:]]]
    try:
        command: list[str | bytes] = [sys.executable, *flags, "-X", "utf8", "-P", "-c", start, *arguments]
        os.execv(sys.executable, command)
    except OSError:
        return


def _encoding_name(encoding: object) -> str:
    return encoding.lower().replace("-", "").replace("_", "") if isinstance(encoding, str) else ""


def _plain_utf8(stream: object) -> bool:
    return _encoding_name(getattr(stream, "encoding", None)) == "utf8"
