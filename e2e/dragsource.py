"""A drag source in another X client, for the F2 drag-and-drop tests: a
small GTK window whose button offers the files named on the command line as
`text/uri-list` over XDND, as a file manager does. Run with Debian's
python3 (python3-gi); it prints `ready` once its window is shown, then
serves drags until it is killed.

    /usr/bin/python3 dragsource.py X Y PATH...
"""

import sys
from pathlib import Path

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, GLib, Gtk  # noqa: E402

x, y = int(sys.argv[1]), int(sys.argv[2])
uris = [Path(p).resolve().as_uri() for p in sys.argv[3:]]

win = Gtk.Window(title="berth-drag-source")
win.set_default_size(140, 50)
win.move(x, y)
win.set_keep_above(True)
button = Gtk.Button(label="drag me")
button.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
button.drag_source_add_uri_targets()


def on_get(_widget, _ctx, data, _info, _time):
    data.set_uris(uris)


button.connect("drag-data-get", on_get)
win.add(button)
win.connect("destroy", Gtk.main_quit)
win.show_all()


def ready():
    print("ready", flush=True)
    return False


GLib.timeout_add(300, ready)
Gtk.main()
