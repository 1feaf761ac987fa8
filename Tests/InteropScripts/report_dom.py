"""Reads a DOM dumped by headless Chromium (`--dump-dom`) on stdin and prints, as JSON, what
the report tests check: the test-facing structure, whether our script ran, and everything a
hostile specimen could have smuggled in (extra scripts, event handlers, loading elements,
resource URLs). Python standard library only.

usage: report_dom.py < dom.html
"""
import json
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
LOADING = {"img", "iframe", "object", "embed", "link", "base", "frame", "frameset", "audio", "video", "source",
           "image", "use", "form", "portal", "track", "picture"}
URL_ATTRIBUTES = {"src", "srcset", "href", "xlink:href", "action", "formaction", "poster", "data", "background",
                  "ping", "manifest", "codebase", "cite", "longdesc"}


class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []          # (tag, attrs)
        self.out = {
            "ready": False, "pwned": [], "charts": {}, "chart_order": [], "params_rows": [], "params_headers": [],
            "scripts": [], "event_attributes": [], "loading_elements": [], "urls": [], "text": [],
            "title": "", "legend": [], "details": [], "pc": [], "same_params": "", "specimens": [],
            "styles_with_url": 0, "log_checkboxes": [], "dashed": {}, "empty_paths": {}, "rawlines": 0,
            "checked_logs": 0, "y_ticks": {},
        }
        self.in_title = False
        self.current_metric = None
        self.in_params = False
        self.in_params_head = False
        self.in_same = False
        self.script_text = None
        self.y_tick = None

    def handle_starttag(self, tag, attrs, selfclosing=False):
        a = {}
        for key, value in attrs:
            a[key] = value if value is not None else ""
        out = self.out
        if tag == "html" and a.get("data-ready") == "1":
            out["ready"] = True
        for key, value in a.items():
            if key.startswith("on"):
                out["event_attributes"].append(tag + " " + key)
            if key.startswith("data-pwned") or "pwned" in key:
                out["pwned"].append(tag + " " + key + "=" + value)
            if key in URL_ATTRIBUTES:
                out["urls"].append({"tag": tag, "attribute": key, "value": value})
            if key == "style" and "url(" in value.replace(" ", "").lower():
                out["styles_with_url"] += 1
        if tag in LOADING:
            out["loading_elements"].append(tag)
        if tag == "script":
            out["scripts"].append({"type": a.get("type", ""), "id": a.get("id", "")})
            self.script_text = ""
        if tag == "title" and any(open_tag == "head" for open_tag, _ in self.stack):
            self.in_title = True
        if tag == "svg" and "data-metric" in a:
            self.current_metric = a["data-metric"]
            out["charts"][self.current_metric] = []
            out["chart_order"].append(self.current_metric)
        elif self.current_metric is not None and "data-run" in a:
            out["charts"][self.current_metric].append(a["data-run"])
            if a.get("d", "") == "":
                out["empty_paths"].setdefault(self.current_metric, []).append(a["data-run"])
            if "stroke-dasharray" in a:
                out["dashed"].setdefault(self.current_metric, []).append(a["data-run"])
        if tag == "table" and a.get("data-role") == "params":
            self.in_params = True
        if self.in_params and tag == "thead":
            self.in_params_head = True
        if self.in_params and tag == "tr" and "data-run" in a:
            out["params_rows"].append(a["data-run"])
        if tag == "button" and "data-legend-run" in a:
            out["legend"].append({"run": a["data-legend-run"], "pressed": a.get("aria-pressed")})
        if tag == "details" and "data-run-detail" in a:
            out["details"].append(a["data-run-detail"])
        if tag == "svg" and "data-pc" in a:
            out["pc"].append(a["data-pc"])
        if tag == "p" and a.get("data-role") == "same-params":
            self.in_same = True
        if tag == "tr" and "data-specimen" in a:
            out["specimens"].append(a["data-specimen"])
        if tag == "input" and "logy" in a.get("class", ""):
            out["log_checkboxes"].append("disabled" in a)
        if tag == "path" and "rawline" in a.get("class", ""):
            out["rawlines"] += 1
        if tag == "text" and "tick y" in a.get("class", "") and self.current_metric is not None:
            self.y_tick = self.current_metric
        if tag not in VOID and not selfclosing:
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, selfclosing=True)

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag == "script" and self.script_text is not None:
            self.script_text = None
        while self.stack:
            open_tag, a = self.stack.pop()
            if open_tag == "svg" and "data-metric" in a:
                self.current_metric = None
            if open_tag == "table" and a.get("data-role") == "params":
                self.in_params = False
            if open_tag == "thead":
                self.in_params_head = False
            if open_tag == "p" and a.get("data-role") == "same-params":
                self.in_same = False
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.script_text is not None:
            return
        if self.y_tick is not None:
            self.out["y_ticks"].setdefault(self.y_tick, []).append(data)
            self.y_tick = None
        if self.in_title:
            self.out["title"] += data
        if self.in_params_head:
            self.out["params_headers"].append(data)
        if self.in_same:
            self.out["same_params"] += data
        self.out["text"].append(data)


parser = Dom()
parser.feed(sys.stdin.read())
parser.close()
result = parser.out
result["text"] = "".join(result["text"])
json.dump(result, sys.stdout)
