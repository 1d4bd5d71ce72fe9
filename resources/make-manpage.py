#!/usr/bin/env python3
"""Writes eventscope(1), gzip-compressed, from the program's own --help texts.

    make-manpage.py EVENTSCOPE_BINARY VERSION DATE OUTPUT.1.gz

The GUI's --help gives the synopsis and options, `eventscope help` the list of commands, and
each `eventscope COMMAND --help` that command's section, so the page never drifts from what
the program accepts.
"""
import gzip
import os
import re
import subprocess
import sys


def run(binary, *arguments):
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    environment.pop("DISPLAY", None)
    environment.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run([binary, *arguments], capture_output=True, text=True,
                            env=environment, timeout=60)
    if result.returncode != 0:
        sys.exit(f"make-manpage: {' '.join(arguments)} exited {result.returncode}: "
                 f"{result.stderr.strip()}")
    return result.stdout


def roff(text):
    """Escapes text for a roff line: backslashes, hyphens, and a leading dot or quote."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    if text.startswith((".", "'")):
        text = "\\&" + text
    return text


def parse_help(text):
    """Splits Qt's QCommandLineParser help into (description, options, arguments)."""
    lines = text.splitlines()
    description, options, arguments = [], [], []
    section = "head"
    current = None
    for line in lines:
        if line.startswith("Usage:"):
            section = "description"
            continue
        if line.strip() == "Options:":
            section = "options"
            continue
        if line.strip() == "Arguments:":
            section = "arguments"
            continue
        if section == "description":
            if line.strip():
                description.append(line.strip())
            continue
        if section in ("options", "arguments"):
            target = options if section == "options" else arguments
            match = re.match(r"^  (\S.*?)(?:\s{2,}(.*))?$", line)
            if match and not line.startswith("   "):
                current = [match.group(1).strip(), (match.group(2) or "").strip()]
                target.append(current)
            elif line.strip() and current is not None:
                current[1] = (current[1] + " " + line.strip()).strip()
    return " ".join(description), options, arguments


def option_entries(options):
    out = []
    for name, text in options:
        if name.startswith("--help-all") or name.startswith("-h,"):
            continue
        out.append(".TP")
        out.append("\\fB" + roff(name) + "\\fR")
        out.append(roff(text))
    return out


def main():
    if len(sys.argv) != 5:
        sys.exit("usage: make-manpage.py EVENTSCOPE_BINARY VERSION DATE OUTPUT.1.gz")
    binary, version, date, output = sys.argv[1:]
    gui_description, gui_options, gui_arguments = parse_help(run(binary, "--help"))
    commands = []
    listing = run(binary, "help")
    in_commands = False
    for line in listing.splitlines():
        if line.strip() == "commands:":
            in_commands = True
            continue
        if in_commands:
            match = re.match(r"^  (\w+)\s+(.*)$", line)
            if match:
                commands.append((match.group(1), match.group(2)))
            elif not line.strip():
                in_commands = False
    if not commands:
        sys.exit("make-manpage: `eventscope help` listed no commands")

    page = [
        f'.TH EVENTSCOPE 1 "{date}" "EventScope {roff(version)}" "User Commands"',
        ".SH NAME",
        "eventscope \\- observability console for Kafka events, metrics, logs and traces",
        ".SH SYNOPSIS",
        ".B eventscope",
        "[\\fIoptions\\fR] [\\fIFILE\\fR]",
        ".br",
        ".B eventscope",
        "\\fICOMMAND\\fR [\\fIoptions\\fR]",
        ".SH DESCRIPTION",
        roff(gui_description),
        ".PP",
        "Without a command, eventscope opens the console window: live from a Kafka cluster "
        "(\\fB\\-\\-bootstrap\\fR, or the last connection), on the embedded demo cluster "
        "(\\fB\\-\\-demo\\fR), or reviewing a capture file (\\fB\\-\\-capture\\fR \\fIFILE\\fR "
        "or \\fIFILE\\fR). With a command it runs headless.",
        ".SH OPTIONS",
        *option_entries(gui_options),
    ]
    for name, text in gui_arguments:
        page += [".TP", "\\fI" + roff(name) + "\\fR", roff(text)]
    page += [".SH COMMANDS"]
    for name, summary in commands:
        description, options, arguments = parse_help(run(binary, name, "--help"))
        page += [".SS \\fB" + roff(name) + "\\fR", roff(description or summary)]
        for argument, text in arguments:
            page += [".TP", "\\fI" + roff(argument) + "\\fR", roff(text)]
        page += option_entries(options)
    page += [
        ".SH EXIT STATUS",
        "0 on success, 1 when the work failed (the cause is printed on one line), 2 for bad "
        "arguments.",
        ".SH FILES",
        ".TP",
        "\\fI~/.config/EventScope/EventScope.conf\\fR",
        "Settings: window layout, theme, time zone, recent captures, the last connection "
        "(passwords go to the desktop keyring, never to this file).",
        ".TP",
        "\\fI~/.local/share/EventScope/EventScope/live/\\fR",
        "One capture per Kafka cluster the console followed live; the next start resumes "
        "from its offsets.",
        ".SH SEE ALSO",
        ".BR kcat (1)",
    ]
    data = ("\n".join(page) + "\n").encode("utf-8")
    # mtime=0 and no file name in the header: identical input gives identical bytes.
    with open(output, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(data)


if __name__ == "__main__":
    main()
