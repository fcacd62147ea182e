"""Issue 17, defect 7, in a real browser: in step 3's drawing (as saved and as the live draft
redraws it after a change) no flow runs through a box other than its two ends and no label covers
a name, a zone's name or another label, measured on the rendered SVG (getBBox)."""

from __future__ import annotations

import copy
import re
from typing import Any

import yaml
from playwright.sync_api import Page, expect

from sbd_tool.diagram.draft import diagram_data
from tests.browser.test_wizard_browser import Shoot
from tests.conftest import example_data
from tests.test_diagram import three_tasks

# What covers what in the drawing: [] when nothing. Boxes and zone names from their getBBox, each
# flow's segments from its points (arrows are orthogonal, so a segment is its own bounding box).
MEASURE_JS = """
() => {
  const svg = document.querySelector('figure.diagram svg');
  const box = (el) => { const b = el.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; };
  const meet = (a, b, inset) =>
    a[0] < b[2] - inset && b[0] < a[2] - inset && a[1] < b[3] - inset && b[1] < a[3] - inset;
  const elements = Array.from(svg.querySelectorAll('g.element')).map((g) =>
    ({id: g.dataset.element, name: g.textContent, rect: box(g.querySelector('rect'))}));
  const titles = Array.from(svg.querySelectorAll('g.zone > text')).map((t) => ({name: t.textContent, rect: box(t)}));
  const labels = Array.from(svg.querySelectorAll('g.flow-label')).map((g) => ({name: g.textContent, rect: box(g)}));
  const found = [];
  svg.querySelectorAll('polyline.flow').forEach((line) => {
    const points = line.getAttribute('points').trim().split(/\\s+/).map((p) => p.split(',').map(Number));
    for (let i = 1; i < points.length; i++) {
      const [p, q] = [points[i - 1], points[i]];
      const seg = [Math.min(p[0], q[0]), Math.min(p[1], q[1]), Math.max(p[0], q[0]), Math.max(p[1], q[1])];
      const widened = [seg[0] - 0.1, seg[1] - 0.1, seg[2] + 0.1, seg[3] + 0.1];
      elements.concat(titles).forEach((e) => {
        if (e.id !== line.dataset.from && e.id !== line.dataset.to && meet(widened, e.rect, 0.5)) {
          found.push('flow ' + line.dataset.flow + ' runs through ' + e.name);
        }
      });
    }
  });
  labels.forEach((l, i) => {
    elements.concat(titles, labels.slice(0, i)).forEach((e) => {
      if (meet(l.rect, e.rect, 0.5)) { found.push('label ' + l.name + ' covers ' + e.name); }
    });
  });
  return {found, flows: svg.querySelectorAll('polyline.flow').length, labels: labels.length};
}
"""


def import_project(page: Page, base: str) -> str:
    """The citizen portal with the diagram a new officer drew (「地域振興F8職員」 among the staff
    beside the system, flows of three tasks crossing); the address of its step 3."""
    data: dict[str, Any] = copy.deepcopy(example_data("citizen-portal"))
    data["diagram"] = diagram_data(three_tasks())
    page.goto(base + "/projects/import")
    body = yaml.safe_dump(data, allow_unicode=True).encode()
    page.locator("input[type=file]").set_input_files({"name": "f8.yaml", "mimeType": "text/yaml", "buffer": body})
    page.get_by_role("button", name="取り込む").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("手順1")
    return re.sub(r"/steps/.*$", "/steps/diagram", page.url)


def test_flows_go_round_boxes_and_labels_cover_no_name(live_server: str, page: Page, shoot: Shoot) -> None:
    page.goto(import_project(page, live_server))
    figure = page.locator("figure.diagram svg")
    expect(figure).to_contain_text("地域振興F8職員")
    measured = page.evaluate(MEASURE_JS)
    assert measured["flows"] == 12 and measured["labels"] == 12
    assert measured["found"] == [], measured["found"]
    shoot(page, "1-as-saved")

    # The live draft: a new flow from 会計課職員 up past 地域振興F8職員 to the system, redrawn by the server.
    before = page.locator("polyline.flow").count()
    page.get_by_role("button", name="流れを追加").click()
    rows = page.get_by_label(re.compile(r"^流れの送信元（\d+行目）")).count()
    page.get_by_label(f"流れの送信元（{rows}行目）").select_option(label="会計課職員")
    page.get_by_label(f"流れの送信先（{rows}行目）").select_option(label="審査担当職員")
    expect(page.locator("polyline.flow")).to_have_count(before + 1)
    measured = page.evaluate(MEASURE_JS)
    assert measured["found"] == [], measured["found"]
    page.locator("figure.diagram").screenshot(path=str(shoot(page, "2-live-draft").with_name("2-figure.png")))

    # The measure itself finds what the old drawing did: a straight line from 会計課職員 to the
    # system runs through 地域振興F8職員, and a label in its middle covers that name.
    page.evaluate(
        """() => {
      const svg = document.querySelector('figure.diagram svg'), ns = 'http://www.w3.org/2000/svg';
      const r = (id) => svg.querySelector('g.element[data-element="' + id + '"] rect').getBBox();
      const a = r('E4'), b = r('E1'), x = a.x + a.width / 2;
      const line = document.createElementNS(ns, 'polyline');
      line.setAttribute('class', 'flow');
      line.setAttribute('points', x + ',' + a.y + ' ' + x + ',' + (b.y + b.height));
      line.dataset.from = 'E4'; line.dataset.to = 'E1'; line.dataset.flow = 'old';
      const label = document.createElementNS(ns, 'g');
      label.setAttribute('class', 'flow-label');
      label.innerHTML = '<rect x="' + (x - 15) + '" y="' + r('E3').y + '" width="30" height="18"/>';
      svg.append(line, label);
    }"""
    )
    found = page.evaluate(MEASURE_JS)["found"]
    assert any("runs through 人地域振興F8職員" in f for f in found), found
    assert any("covers 人地域振興F8職員" in f for f in found), found
